/// A string enum that accepts values it does not know (`Unknown`) and round-trips them.
/// Matching is case-insensitive, as the service's is.
macro_rules! open_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $wire:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
            /// A value this version of the SDK does not know, kept as sent.
            Unknown(String),
        }

        impl $name {
            /// The value as the service spells it.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)+
                    Self::Unknown(s) => s,
                }
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::convert::Infallible;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $(if s.eq_ignore_ascii_case($wire) { return Ok(Self::$variant); })+
                Ok(Self::Unknown(s.to_owned()))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                Ok(s.parse().unwrap_or_else(|never: std::convert::Infallible| match never {}))
            }
        }
    };
}

/// A resource family told apart by `resourceType`: one variant per known type, and
/// `Unknown` keeping any other type whole.
macro_rules! polymorphic {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident($ty:ty) = $wire:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone)]
        #[non_exhaustive]
        pub enum $name {
            $($(#[$vmeta])* $variant($ty),)+
            /// A `resourceType` this version of the SDK does not know, kept whole.
            Unknown($crate::Extra),
        }

        impl $name {
            /// The `resourceType` discriminator.
            pub fn resource_type(&self) -> &str {
                match self {
                    $(Self::$variant(_) => $wire,)+
                    Self::Unknown(map) => map.get("resourceType").and_then(serde_json::Value::as_str).unwrap_or(""),
                }
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                use serde::ser::Error as _;
                let mut map = match self {
                    $(Self::$variant(inner) => match serde_json::to_value(inner).map_err(S::Error::custom)? {
                        serde_json::Value::Object(map) => map,
                        _ => return Err(S::Error::custom("a resource must serialise to an object")),
                    },)+
                    Self::Unknown(map) => return map.serialize(s),
                };
                map.insert("resourceType".to_owned(), serde_json::Value::String(self.resource_type().to_owned()));
                map.serialize(s)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                use serde::de::Error as _;
                let mut map = $crate::Extra::deserialize(d)?;
                let kind = map.get("resourceType").and_then(serde_json::Value::as_str).unwrap_or("").to_owned();
                $(if kind.eq_ignore_ascii_case($wire) {
                    map.remove("resourceType");
                    return serde_json::from_value(serde_json::Value::Object(map)).map(Self::$variant).map_err(D::Error::custom);
                })+
                Ok(Self::Unknown(map))
            }
        }
    };
}
