//! The `$filter` of `GET /products`.

use partner_center_models::ingestion::{Product, TypeValuePair};

/// The `$filter` of `GET /products`: "Filter by ResourceType or ExternalIDs with operation
/// eq is allowed" (the spec's parameter), with `and`, `or` and parentheses, e.g.
/// `ResourceType eq 'AzureApplication'` or
/// `ExternalIDs/Any(i:i/Type eq 'AzureOfferId' and i/Value eq 'contoso-app')`. Names and
/// types compare without case; values exactly.
#[derive(Debug, PartialEq)]
pub(crate) enum Filter {
    ResourceType(String),
    /// Inside `ExternalIDs/Any(…)`: the pair's type or value.
    IdType(String),
    IdValue(String),
    AnyExternalId(Box<Filter>),
    And(Box<Filter>, Box<Filter>),
    Or(Box<Filter>, Box<Filter>),
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Word(String),
    Text(String),
    Open,
    Close,
    Colon,
}

impl Filter {
    pub(crate) fn parse(text: &str) -> Result<Self, String> {
        let tokens = tokenize(text)?;
        let mut parser = Parser {
            tokens,
            at: 0,
            lambda: None,
            depth: 0,
            conditions: 0,
        };
        let filter = parser.or()?;
        match parser.tokens.get(parser.at) {
            None => Ok(filter),
            Some(t) => Err(format!("unexpected {t:?} after a complete expression")),
        }
    }

    pub(crate) fn matches(&self, p: &Product) -> bool {
        self.holds(p, None)
    }

    fn holds(&self, p: &Product, pair: Option<&TypeValuePair>) -> bool {
        match self {
            Filter::ResourceType(t) => p
                .resource_type
                .as_ref()
                .is_some_and(|r| r.as_str().eq_ignore_ascii_case(t)),
            Filter::IdType(t) => pair.is_some_and(|e| e.kind.eq_ignore_ascii_case(t)),
            Filter::IdValue(v) => pair.is_some_and(|e| &e.value == v),
            Filter::AnyExternalId(inner) => p.external_ids.iter().any(|e| inner.holds(p, Some(e))),
            Filter::And(a, b) => a.holds(p, pair) && b.holds(p, pair),
            Filter::Or(a, b) => a.holds(p, pair) || b.holds(p, pair),
        }
    }
}

fn tokenize(text: &str) -> Result<Vec<Token>, String> {
    let mut tokens = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(&c) = chars.peek() {
        match c {
            c if c.is_whitespace() => {
                chars.next();
            }
            '(' | ')' | ':' => {
                chars.next();
                tokens.push(match c {
                    '(' => Token::Open,
                    ')' => Token::Close,
                    _ => Token::Colon,
                });
            }
            '\'' => {
                chars.next();
                let mut literal = String::new();
                loop {
                    match chars.next() {
                        None => return Err("a quoted value is not closed".to_owned()),
                        // OData doubles a quote inside a literal.
                        Some('\'') if chars.peek() == Some(&'\'') => {
                            chars.next();
                            literal.push('\'');
                        }
                        Some('\'') => break,
                        Some(other) => literal.push(other),
                    }
                }
                tokens.push(Token::Text(literal));
            }
            c if c.is_alphanumeric() || c == '/' || c == '_' || c == '.' => {
                let mut word = String::new();
                while let Some(&c) = chars.peek() {
                    if c.is_alphanumeric() || c == '/' || c == '_' || c == '.' {
                        word.push(c);
                        chars.next();
                    } else {
                        break;
                    }
                }
                tokens.push(Token::Word(word));
            }
            other => return Err(format!("unexpected character {other:?}")),
        }
    }
    Ok(tokens)
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
    /// The variable of the `Any` lambda being read, if inside one.
    lambda: Option<String>,
    /// How many parentheses are open: bounded, so no filter can exhaust the stack.
    depth: usize,
    /// How many comparisons were read: bounded, as `and`/`or` chains nest the tree too.
    conditions: usize,
}

/// The most parentheses a filter may nest.
const MAX_DEPTH: usize = 16;
/// The most comparisons a filter may hold.
const MAX_CONDITIONS: usize = 64;

impl Parser {
    fn next(&mut self) -> Option<Token> {
        let t = self.tokens.get(self.at).cloned();
        self.at += 1;
        t
    }

    fn keyword(&mut self, word: &str) -> bool {
        let found = matches!(self.tokens.get(self.at), Some(Token::Word(w)) if w.eq_ignore_ascii_case(word));
        if found {
            self.at += 1;
        }
        found
    }

    fn expect(&mut self, token: &Token) -> Result<(), String> {
        match self.next() {
            Some(t) if &t == token => Ok(()),
            other => Err(format!("expected {token:?}, found {other:?}")),
        }
    }

    fn or(&mut self) -> Result<Filter, String> {
        let mut left = self.and()?;
        while self.keyword("or") {
            left = Filter::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Filter, String> {
        let mut left = self.term()?;
        while self.keyword("and") {
            left = Filter::And(Box::new(left), Box::new(self.term()?));
        }
        Ok(left)
    }

    fn term(&mut self) -> Result<Filter, String> {
        match self.next() {
            Some(Token::Open) => {
                self.depth += 1;
                if self.depth > MAX_DEPTH {
                    return Err(format!("parentheses nest deeper than {MAX_DEPTH}"));
                }
                let inner = self.or()?;
                self.expect(&Token::Close)?;
                self.depth -= 1;
                Ok(inner)
            }
            Some(Token::Word(w))
                if w.eq_ignore_ascii_case("ExternalIDs/Any") && self.lambda.is_none() =>
            {
                self.expect(&Token::Open)?;
                let Some(Token::Word(var)) = self.next() else {
                    return Err(
                        "ExternalIDs/Any( needs a variable, as in ExternalIDs/Any(i:…)".to_owned(),
                    );
                };
                self.expect(&Token::Colon)?;
                self.lambda = Some(var);
                let inner = self.or()?;
                self.lambda = None;
                self.expect(&Token::Close)?;
                Ok(Filter::AnyExternalId(Box::new(inner)))
            }
            Some(Token::Word(field)) => {
                self.conditions += 1;
                if self.conditions > MAX_CONDITIONS {
                    return Err(format!("more than {MAX_CONDITIONS} comparisons"));
                }
                if !self.keyword("eq") {
                    return Err(format!("{field} must be compared with eq"));
                }
                let Some(Token::Text(value)) = self.next() else {
                    return Err(format!("{field} eq needs a quoted value"));
                };
                let inside = self.lambda.as_deref().and_then(|v| {
                    field
                        .strip_prefix(v)
                        .and_then(|rest| rest.strip_prefix('/'))
                });
                match inside {
                    Some(f) if f.eq_ignore_ascii_case("Type") => Ok(Filter::IdType(value)),
                    Some(f) if f.eq_ignore_ascii_case("Value") => Ok(Filter::IdValue(value)),
                    None if self.lambda.is_none() && field.eq_ignore_ascii_case("ResourceType") => {
                        Ok(Filter::ResourceType(value))
                    }
                    _ => Err(format!(
                        "{field} cannot be filtered on (ResourceType, or Type and Value inside ExternalIDs/Any)"
                    )),
                }
            }
            other => Err(format!("expected a condition, found {other:?}")),
        }
    }
}

#[cfg(test)]
mod filters {
    use super::Filter;
    use partner_center_models::ingestion::Product;

    fn product(kind: &str, offer: &str) -> Product {
        serde_json::from_value(serde_json::json!({
            "resourceType": kind, "id": "p", "name": offer,
            "externalIDs": [{"type": "AzureOfferId", "value": offer}],
        }))
        .unwrap()
    }

    #[test]
    fn the_spec_samples_and_the_clients_filters_parse_and_match() {
        let app = product("AzureApplication", "contoso-app");
        let vm = product("AzureThirdPartyVirtualMachine", "contoso-vm");
        let by_offer = Filter::parse(
            "ExternalIDs/Any(i:i/Type eq 'AzureOfferId' and i/Value eq 'contoso-app')",
        )
        .unwrap();
        assert!(by_offer.matches(&app));
        assert!(!by_offer.matches(&vm));
        let by_type =
            Filter::parse("ResourceType eq 'AzureApplication' or ResourceType eq 'AzureContainer'")
                .unwrap();
        assert!(by_type.matches(&app));
        assert!(!by_type.matches(&vm));
        // The spec's sample spells the type otherwise; types compare without case.
        let spelled = Filter::parse(
            "ExternalIDs/Any(i:i/Type eq 'AzureOfferID' and i/Value eq 'contoso-vm')",
        )
        .unwrap();
        assert!(spelled.matches(&vm));
        let both = Filter::parse(
            "(ResourceType eq 'AzureApplication') and ExternalIDs/Any(x:x/Value eq 'contoso-app')",
        )
        .unwrap();
        assert!(both.matches(&app));
        assert_eq!(
            Filter::parse("ResourceType eq 'O''Brien'").unwrap(),
            Filter::ResourceType("O'Brien".to_owned())
        );
    }

    #[test]
    fn what_it_cannot_read_is_refused_not_read_as_nothing() {
        for bad in [
            "Name eq 'x'",
            "ResourceType ne 'AzureApplication'",
            "ResourceType eq AzureApplication",
            "ResourceType eq 'AzureApplication",
            "ExternalIDs/Any(i:j/Type eq 'x')",
            "ExternalIDs/Any(i:i/Type eq 'x'",
            "i/Type eq 'x'",
            "ResourceType eq 'a' or",
            "ResourceType eq 'a' ResourceType eq 'b'",
            "ResourceType eq 'a' | 1",
            &vec!["ResourceType eq 'a'"; 10_000].join(" or "),
            &format!(
                "{}ResourceType eq 'a'{}",
                "(".repeat(100_000),
                ")".repeat(100_000)
            ),
        ] {
            assert!(Filter::parse(bad).is_err(), "{bad:?} was accepted");
        }
    }
}
