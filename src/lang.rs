//! The language of everything written for people (workbook labels,
//! explanations, notes, and the messages on the terminal): a bottom module,
//! so that every layer can take it without importing the command line
//! (`cli` re-exports it for clap).
//!
//! A message is made with both its texts side by side, where it is made
//! ([`Text`], usually through [`t!`](crate::t)), and shown in the language
//! of the messages ([`messages`]) when it is printed. Which language that
//! is, is decided once by the command ([`choose`]): `--lang`, else the
//! scheme's `lang`, else the locale, else Chinese.

use clap::ValueEnum;
use std::sync::atomic::{AtomicU8, Ordering};

/// Label language of the written workbooks, and of the messages.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// 中文
    #[default]
    Zh,
    /// English
    En,
}

/// Pick the label for the language.
pub fn in_lang(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

/// The language messages are shown in: 0 Chinese, 1 English. English until
/// a command chooses ([`set_messages`]), so that a library caller and the
/// unit tests read what they always read.
static MESSAGES: AtomicU8 = AtomicU8::new(1);

/// Show every message from now on in `lang`.
pub fn set_messages(lang: Lang) {
    MESSAGES.store(
        match lang {
            Lang::Zh => 0,
            Lang::En => 1,
        },
        Ordering::Relaxed,
    );
}

/// The language messages are shown in.
pub fn messages() -> Lang {
    match MESSAGES.load(Ordering::Relaxed) {
        0 => Lang::Zh,
        _ => Lang::En,
    }
}

/// The language the locale asks for: the first of `LC_ALL`, `LC_MESSAGES`
/// and `LANG` that is set decides (POSIX order); `zh…` is Chinese, `C`,
/// `POSIX` and `C.UTF-8` name no language (None), any other language is
/// English (the only other one there is).
pub fn from_locale(var: impl Fn(&str) -> Option<String>) -> Option<Lang> {
    let value = ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|k| var(k))
        .find(|v| !v.is_empty())?;
    let lower = value.to_ascii_lowercase();
    if lower.starts_with("zh") {
        Some(Lang::Zh)
    } else if lower == "c" || lower == "posix" || lower.starts_with("c.") {
        None
    } else {
        Some(Lang::En)
    }
}

/// The language of the messages: `--lang`, else the scheme's `lang`, else
/// the locale, else Chinese (the managers and HR who run it read Chinese).
pub fn choose(flag: Option<Lang>, scheme: Option<Lang>) -> Lang {
    flag.or(scheme)
        .or_else(|| from_locale(|k| std::env::var(k).ok()))
        .unwrap_or(Lang::Zh)
}

/// The language of the workbooks: `--lang`, else the scheme's `lang`, else
/// Chinese. Never the locale: the same scheme and inputs give the same
/// workbooks on every machine.
pub fn for_workbooks(flag: Option<Lang>, scheme: Option<Lang>) -> Lang {
    flag.or(scheme).unwrap_or(Lang::Zh)
}

/// A text for people in both languages, made where the message is made and
/// shown in the language of the messages when printed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Text {
    pub zh: String,
    pub en: String,
}

impl Text {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Text {
        Text {
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// The same text in both languages: a name, a path, a value quoted
    /// from the user's file, a message of another program.
    pub fn same(text: impl Into<String>) -> Text {
        let text = text.into();
        Text {
            zh: text.clone(),
            en: text,
        }
    }

    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }

    /// The text in the language of the messages.
    pub fn shown(&self) -> &str {
        self.get(messages())
    }

    /// Does either text contain `part`?
    pub fn contains(&self, part: &str) -> bool {
        self.zh.contains(part) || self.en.contains(part)
    }

    /// Each text changed by `f` (e.g. a path replaced in both).
    pub fn map(&self, f: impl Fn(&str) -> String) -> Text {
        Text::new(f(&self.zh), f(&self.en))
    }

    /// This text followed by `more`, language by language.
    pub fn then(&self, more: &Text) -> Text {
        Text::new(
            format!("{}{}", self.zh, more.zh),
            format!("{}{}", self.en, more.en),
        )
    }
}

impl std::fmt::Display for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.shown())
    }
}

/// A text not (yet) written in Chinese: the same in both languages.
impl From<String> for Text {
    fn from(text: String) -> Text {
        Text::same(text)
    }
}

impl From<&str> for Text {
    fn from(text: &str) -> Text {
        Text::same(text)
    }
}

/// Both texts of a message, side by side, each a `format!` string that may
/// name the variables in scope: `t!("第 {n} 行", "row {n}")`, or take the
/// same positional arguments: `t!("{} 个指标", "{} KPIs", n)`.
#[macro_export]
macro_rules! t {
    ($zh:literal, $en:literal $(,)?) => {
        $crate::lang::Text::new(format!($zh), format!($en))
    };
    // Positional arguments, the same for both texts (the Chinese may take
    // them in another order: `{1}…{0}`).
    ($zh:literal, $en:literal, $($args:tt)+) => {
        $crate::lang::Text::new(format!($zh, $($args)+), format!($en, $($args)+))
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |k| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn the_locale_names_the_language_in_posix_order() {
        assert_eq!(from_locale(env(&[("LANG", "zh_CN.UTF-8")])), Some(Lang::Zh));
        assert_eq!(from_locale(env(&[("LANG", "en_US.UTF-8")])), Some(Lang::En));
        assert_eq!(
            from_locale(env(&[("LC_ALL", "en_GB"), ("LANG", "zh_CN.UTF-8")])),
            Some(Lang::En)
        );
        assert_eq!(
            from_locale(env(&[
                ("LC_ALL", ""),
                ("LC_MESSAGES", "zh_TW"),
                ("LANG", "en_US")
            ])),
            Some(Lang::Zh)
        );
        assert_eq!(from_locale(env(&[("LANG", "C.UTF-8")])), None);
        assert_eq!(from_locale(env(&[("LANG", "POSIX")])), None);
        assert_eq!(from_locale(env(&[])), None);
    }

    #[test]
    fn the_flag_wins_then_the_scheme() {
        assert_eq!(choose(Some(Lang::En), Some(Lang::Zh)), Lang::En);
        assert_eq!(choose(None, Some(Lang::En)), Lang::En);
        assert_eq!(for_workbooks(None, None), Lang::Zh);
        assert_eq!(for_workbooks(Some(Lang::En), Some(Lang::Zh)), Lang::En);
    }
}
