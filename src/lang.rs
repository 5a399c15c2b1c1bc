//! The language of everything written for people (workbook labels,
//! explanations, notes): a bottom module, so that every layer can take it
//! without importing the command line (`cli` re-exports it for clap).

use clap::ValueEnum;

/// Label language of the written workbooks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

/// Pick the label for the language.
pub fn in_lang(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}
