//! `--tls`: a throwaway CA and a server certificate for the loopback names and the public
//! cloud's service host names, generated at start; the CA's PEM is written to a file for
//! clients to trust (`SSL_CERT_FILE`). The service names let a client whose hosts are fixed
//! in its code (Microsoft's `azpc` has `login.microsoftonline.com` and
//! `api.partner.microsoft.com`) reach the emulator through name resolution alone (a hosts
//! file entry) and the trusted CA. The CA's key is never written: it signs this one
//! certificate and is dropped, so trusting the CA trusts nothing else.

use std::path::{Path, PathBuf};

use std::sync::Arc;

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

use crate::EmulatorError;

fn key_error(e: impl std::fmt::Display) -> EmulatorError {
    EmulatorError::Key(format!("TLS certificate: {e}"))
}

/// Generates the CA and the server certificate; writes the CA to `ca_path`.
pub(crate) fn server_config(
    host: &str,
    ca_path: &Path,
) -> Result<Arc<rustls::ServerConfig>, EmulatorError> {
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).map_err(key_error)?;
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "partner-center-emulator test CA");
    let ca_key = KeyPair::generate().map_err(key_error)?;
    let ca = ca_params.self_signed(&ca_key).map_err(key_error)?;

    let mut names: Vec<String> = [
        "localhost",
        "127.0.0.1",
        "::1",
        "login.microsoftonline.com",
        "api.partnercenter.microsoft.com",
        "api.partner.microsoft.com",
        "graph.microsoft.com",
        "graph.windows.net",
    ]
    .map(str::to_owned)
    .to_vec();
    if !names.iter().any(|n| n == host) {
        names.push(host.to_owned());
    }
    let mut leaf_params = CertificateParams::new(names).map_err(key_error)?;
    leaf_params
        .distinguished_name
        .push(DnType::CommonName, "partner-center-emulator");
    let leaf_key = KeyPair::generate().map_err(key_error)?;
    let leaf = leaf_params
        .signed_by(&leaf_key, &ca, &ca_key)
        .map_err(key_error)?;

    write_new(ca_path, ca.pem().as_bytes()).map_err(|e| {
        EmulatorError::Key(format!(
            "cannot write the CA file {}: {e}",
            ca_path.display()
        ))
    })?;
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der()));
    let chain = vec![CertificateDer::from(leaf.der().to_vec())];
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(key_error)?
    .with_no_client_auth()
    .with_single_cert(chain, key)
    .map_err(key_error)?;
    Ok(Arc::new(config))
}

/// Creates `path` exclusively (never through an existing file or a planted symlink).
fn write_new(path: &Path, data: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    file.write_all(data)
}

/// A private directory (mode 0700 on Unix, a fresh unpredictable name) for the CA file,
/// removed with the returned guard, i.e. when the emulator shuts down.
pub(crate) fn private_ca_path() -> Result<(tempfile::TempDir, PathBuf), EmulatorError> {
    let mut builder = tempfile::Builder::new();
    builder.prefix("partner-center-emulator-");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        builder.permissions(std::fs::Permissions::from_mode(0o700));
    }
    let dir = builder.tempdir().map_err(|e| {
        EmulatorError::Key(format!("cannot create a private directory for the CA: {e}"))
    })?;
    let path = dir.path().join("ca.pem");
    Ok((dir, path))
}

/// Serves `app` over TLS until `shutdown` fires.
pub(crate) async fn serve(
    listener: tokio::net::TcpListener,
    app: axum::Router,
    config: Arc<rustls::ServerConfig>,
    mut shutdown: tokio::sync::oneshot::Receiver<()>,
) {
    let acceptor = tokio_rustls::TlsAcceptor::from(config);
    loop {
        tokio::select! {
            _ = &mut shutdown => break,
            accepted = listener.accept() => {
                let Ok((tcp, _)) = accepted else { continue };
                let (acceptor, app) = (acceptor.clone(), app.clone());
                tokio::spawn(async move {
                    let Ok(tls) = acceptor.accept(tcp).await else { return };
                    let service = hyper_util::service::TowerToHyperService::new(app);
                    let _ = hyper_util::server::conn::auto::Builder::new(hyper_util::rt::TokioExecutor::new())
                        .serve_connection(hyper_util::rt::TokioIo::new(tls), service)
                        .await;
                });
            }
        }
    }
}
