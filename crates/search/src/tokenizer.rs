//! The analyzer of `tiendo_core::text::analyze` as tantivy tokenizers: one per indexed form.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use tiendo_core::text::analyze::{self, Span, TokenKind, Tokens};

/// The tokenizer of the folded fields.
pub const FOLD: &str = "tiendo_fold";
/// The tokenizer of the exact fields.
pub const EXACT: &str = "tiendo_exact";
/// The tokenizer of the bigram fields.
pub const BIGRAM: &str = "tiendo_bigram";

/// Which form a tokenizer emits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// Folded tokens, symbols included.
    Fold,
    /// Exact tokens, symbols included.
    Exact,
    /// Folded pairs of neighbouring syllables.
    Bigram,
}

/// Our analyzer for one form.
#[derive(Debug, Clone)]
pub struct VietnameseTokenizer {
    form: Form,
    token: Token,
}

impl VietnameseTokenizer {
    /// A tokenizer for `form`.
    pub fn new(form: Form) -> VietnameseTokenizer {
        VietnameseTokenizer { form, token: Token::default() }
    }
}

/// The tokens of one text.
pub struct VietnameseStream<'a> {
    text: &'a str,
    tokens: Tokens<'a>,
    form: Form,
    token: &'a mut Token,
    /// For bigrams: the previous part and its folded form.
    previous: Option<Span>,
    previous_fold: String,
    current_fold: String,
}

impl Tokenizer for VietnameseTokenizer {
    type TokenStream<'a> = VietnameseStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VietnameseStream<'a> {
        self.token.reset();
        VietnameseStream {
            text,
            tokens: analyze::tokens(text),
            form: self.form,
            token: &mut self.token,
            previous: None,
            previous_fold: String::new(),
            current_fold: String::new(),
        }
    }
}

impl VietnameseStream<'_> {
    fn set(&mut self, span: &Span, start: usize) {
        self.token.offset_from = start;
        self.token.offset_to = span.end;
        self.token.position = span.position;
        self.token.position_length = 1;
    }

    fn advance_bigram(&mut self) -> bool {
        for span in self.tokens.by_ref() {
            if span.kind == TokenKind::Symbol {
                continue;
            }
            analyze::fold_token(self.text, &span, &mut self.current_fold);
            let pair = self.previous.filter(|p| span.follows_closely && p.position + 1 == span.position);
            if let Some(previous) = pair {
                self.token.text.clear();
                self.token.text.push_str(&self.previous_fold);
                self.token.text.push(analyze::BIGRAM_JOINER);
                self.token.text.push_str(&self.current_fold);
                self.token.offset_from = previous.start;
                self.token.offset_to = span.end;
                self.token.position = previous.position;
                self.token.position_length = 2;
            }
            self.previous = Some(span);
            std::mem::swap(&mut self.previous_fold, &mut self.current_fold);
            if pair.is_some() {
                return true;
            }
        }
        false
    }
}

impl TokenStream for VietnameseStream<'_> {
    fn advance(&mut self) -> bool {
        match self.form {
            Form::Bigram => self.advance_bigram(),
            Form::Fold | Form::Exact => {
                let Some(span) = self.tokens.next() else {
                    return false;
                };
                if self.form == Form::Fold {
                    analyze::fold_token(self.text, &span, &mut self.token.text);
                } else {
                    analyze::exact_token(self.text, &span, &mut self.token.text);
                }
                self.set(&span, span.start);
                true
            }
        }
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

/// Registers the three tokenizers with an index (needed after every open).
pub fn register(index: &tantivy::Index) {
    let manager = index.tokenizers();
    manager.register(FOLD, VietnameseTokenizer::new(Form::Fold));
    manager.register(EXACT, VietnameseTokenizer::new(Form::Exact));
    manager.register(BIGRAM, VietnameseTokenizer::new(Form::Bigram));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(form: Form, text: &str) -> Vec<(String, usize, usize, usize)> {
        let mut tokenizer = VietnameseTokenizer::new(form);
        let mut stream = tokenizer.token_stream(text);
        let mut out = Vec::new();
        while let Some(t) = stream.next() {
            assert_eq!(&text[t.offset_from..t.offset_to].is_empty(), &false);
            out.push((t.text.clone(), t.position, t.offset_from, t.offset_to));
        }
        out
    }

    #[test]
    fn each_form_emits_its_tokens_with_offsets_into_the_original() {
        let text = "Sở KH&CN. Quảng Yên";
        let fold: Vec<String> = run(Form::Fold, text).into_iter().map(|t| t.0).collect();
        assert_eq!(fold, ["so", "khcn", "quang", "yen"]);
        let exact: Vec<String> = run(Form::Exact, text).into_iter().map(|t| t.0).collect();
        assert_eq!(exact, ["sở", "khcn", "quảng", "yên"]);
        let bigrams = run(Form::Bigram, text);
        let pairs: Vec<&str> = bigrams.iter().map(|t| t.0.as_str()).collect();
        assert_eq!(pairs, ["so_khcn", "quang_yen"]);
        let last = &bigrams[1];
        assert_eq!(&text[last.2..last.3], "Quảng Yên");
    }
}
