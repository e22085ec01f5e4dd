//! The settings' resolution: profiles, variables, clouds, URLs.

use super::*;

fn env_of(vars: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
    move |k| {
        vars.iter()
            .find(|(n, _)| *n == k)
            .map(|(_, v)| (*v).to_owned())
    }
}

const PROFILE: &str = "[profiles.primary]\ntenant = \"profile-tenant\"\nclient_id = \"profile-app\"\nclient_secret_env = \"PC_PRIMARY\"\n";

#[test]
fn the_profile_names_its_login_store_and_its_credential_kind() {
    let env = |k: &str| (k == "XDG_STATE_HOME").then(|| "/tmp/pc-state".to_owned());
    let text = "[profiles.x]\ntenant = \"t\"\nclient_id = \"c\"\nlogin_store = \"file\"\ncredential = \"azure-cli\"\n";
    let settings = Settings::from_toml_str(text, "x", &env).unwrap();
    let (store, key) = settings.credential.login().unwrap();
    assert!(
        store
            .location(&key)
            .starts_with("file /tmp/pc-state/partner-center/logins/"),
        "{}",
        store.location(&key)
    );
    assert_eq!(settings.credential.origin("kind"), Some("profile `x`"));
    let bad =
        Settings::from_toml_str("[profiles.x]\nlogin_store = \"cloud\"\n", "x", &env).unwrap_err();
    assert!(
        bad.to_string().contains("use auto, keyring or file"),
        "{bad}"
    );
    let kind =
        Settings::from_toml_str("[profiles.x]\ncredential = \"magic\"\n", "x", &env).unwrap_err();
    assert!(kind.to_string().contains("unknown credential"), "{kind}");
}

#[test]
fn an_explicit_profile_wins_and_the_environment_fills_gaps() {
    let env = env_of(&[
        ("AZURE_TENANT_ID", "env-tenant"),
        ("AZURE_CLIENT_ID", "env-app"),
        ("AZURE_CLIENT_SECRET", "env-secret"),
        ("PC_PRIMARY", "profile-secret"),
        ("PARTNER_CENTER_API_URL", "http://127.0.0.1:9"),
    ]);
    let s = Settings::from_toml_str(PROFILE, "primary", &env).unwrap();
    assert_eq!(s.credential.tenant(), Some("profile-tenant"));
    assert_eq!(s.credential.client_id(), Some("profile-app"));
    assert_eq!(
        s.credential.origin("secret"),
        Some("profile `primary` ($PC_PRIMARY)")
    );
    assert_eq!(s.cloud.partner_center_api.as_str(), "http://127.0.0.1:9/");
    let sources: Vec<_> = s.sources().collect();
    assert!(
        sources.contains(&("api_url", "PARTNER_CENTER_API_URL")),
        "{sources:?}"
    );
    assert!(
        !format!("{sources:?}").contains("profile-secret"),
        "names, never values"
    );
}

#[test]
fn graph_has_the_clouds_url_a_profile_key_and_a_variable() {
    let public = Settings::from_profile(None, Profile::default(), &env_of(&[])).unwrap();
    assert_eq!(
        public.cloud.graph_api.as_str(),
        "https://graph.microsoft.com/"
    );
    let china = "[profiles.cn]\ncloud = \"china\"\n";
    let s = Settings::from_toml_str(china, "cn", &env_of(&[])).unwrap();
    assert_eq!(
        s.cloud.graph_api.as_str(),
        "https://microsoftgraph.chinacloudapi.cn/"
    );
    let env = env_of(&[("PARTNER_CENTER_GRAPH_URL", "http://127.0.0.1:7")]);
    let s = Settings::from_profile(None, Profile::default(), &env).unwrap();
    assert_eq!(s.cloud.graph_api.as_str(), "http://127.0.0.1:7/");
    let keyed = "[profiles.p]\ngraph_url = \"http://127.0.0.1:8\"\n";
    let s = Settings::from_toml_str(keyed, "p", &env).unwrap();
    assert_eq!(
        s.cloud.graph_api.as_str(),
        "http://127.0.0.1:8/",
        "the profile wins"
    );
    let bad = "[profiles.p]\ngraph_url = \"http://graph.example.com\"\n";
    assert!(
        Settings::from_toml_str(bad, "p", &env_of(&[])).is_err(),
        "http only on loopback"
    );
}

#[test]
fn without_a_profile_the_environment_is_used() {
    let env = env_of(&[
        ("AZURE_TENANT_ID", "env-tenant"),
        ("AZURE_CLIENT_ID", "env-app"),
        ("AZURE_CLIENT_SECRET_FILE", "/nonexistent/secret"),
        ("AZURE_CLIENT_SEND_CERTIFICATE_CHAIN", "true"),
    ]);
    let s = Settings::resolve(Some(Path::new("/nonexistent/none.toml")), None, &env);
    assert!(s.is_err(), "an explicit config path must exist");
    let s = Settings::from_profile(None, Profile::default(), &env).unwrap();
    assert_eq!(s.credential.tenant(), Some("env-tenant"));
    assert_eq!(
        s.credential.origin("secret"),
        Some("AZURE_CLIENT_SECRET_FILE")
    );
}

#[test]
fn secret_looking_keys_are_refused_anywhere() {
    for key in [
        "client_secret",
        "clientSecret",
        "client-secret",
        "AZURE_CLIENT_SECRET",
        "secret_value",
        "client_secrets",
        "Password",
        "refresh_token",
    ] {
        for text in [
            format!("[profiles.x]\n{key} = \"CANARY\"\n"),
            format!("{key} = \"CANARY\"\n"),
            format!("[profiles.x]\n\"{key}\" = CANARY\n"),
        ] {
            let err = check_file(&text, None).unwrap_err().to_string();
            assert!(!err.contains("CANARY"), "{text}: {err}");
            assert!(err.contains("plaintext secret"), "{text}: {err}");
        }
    }
    for fine in [
        "client_secret_env",
        "client_secret_file",
        "certificate_path",
        "refresh_token_env",
    ] {
        assert!(!looks_like_secret(fine), "{fine}");
    }
}

#[test]
fn parse_errors_give_the_place_not_the_value() {
    let err = check_file("[profiles.x]\ntenant = [\"CANARY\"]\n", None)
        .unwrap_err()
        .to_string();
    assert!(err.contains("line 2"), "{err}");
    assert!(!err.contains("CANARY"), "{err}");
}
