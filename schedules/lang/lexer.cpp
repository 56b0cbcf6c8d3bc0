#include "lang/lexer.h"

#include <fmt/format.h>

namespace seqmix::sched {

namespace {

bool is_ident_start(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
// '$' is allowed inside names because Halide names RVars `r$x`, and a file may use the raw name.
bool is_ident_char(char c) {
    return is_ident_start(c) || (c >= '0' && c <= '9') || c == '$';
}
bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

}  // namespace

std::string Token::describe() const {
    switch (kind) {
    case Kind::Newline:
        return "end of line";
    case Kind::End:
        return "end of file";
    default:
        return "'" + text + "'";
    }
}

Lexer::Lexer(std::string_view text, std::string filename)
    : text_(text), file_(std::move(filename)) {
}

Loc Lexer::loc_at(size_t pos) const {
    // Columns count bytes from 1; the lexer only ever asks for positions on the current line.
    return Loc{file_, line_, static_cast<int>(pos - line_start_) + 1};
}

void Lexer::skip_blanks() {
    while (pos_ < text_.size()) {
        char c = text_[pos_];
        if (c == ' ' || c == '\t' || c == '\r') {
            pos_++;
        } else if (c == '#') {
            while (pos_ < text_.size() && text_[pos_] != '\n') {
                pos_++;
            }
        } else {
            break;
        }
    }
}

Loc Lexer::here() {
    if (has_peek_) {
        return peek_.loc;
    }
    skip_blanks();
    return loc_at(pos_);
}

const Token &Lexer::peek() {
    if (!has_peek_) {
        peek_ = lex();
        has_peek_ = true;
    }
    return peek_;
}

Token Lexer::next() {
    if (has_peek_) {
        has_peek_ = false;
        return std::move(peek_);
    }
    return lex();
}

Token Lexer::raw_word() {
    skip_blanks();
    Token t;
    t.kind = Token::Kind::Ident;
    t.loc = loc_at(pos_);
    t.begin = pos_;
    while (pos_ < text_.size()) {
        char c = text_[pos_];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ';' || c == '#') {
            break;
        }
        pos_++;
    }
    t.end = pos_;
    t.text = std::string(text_.substr(t.begin, t.end - t.begin));
    return t;
}

Token Lexer::lex() {
    skip_blanks();
    Token t;
    t.loc = loc_at(pos_);
    t.begin = pos_;
    if (pos_ >= text_.size()) {
        t.kind = Token::Kind::End;
        t.end = pos_;
        return t;
    }
    char c = text_[pos_];
    if (c == '\n') {
        t.kind = Token::Kind::Newline;
        t.text = "\\n";
        pos_++;
        line_++;
        line_start_ = pos_;
        t.end = pos_;
        return t;
    }
    if (is_ident_start(c)) {
        size_t b = pos_;
        while (pos_ < text_.size() && is_ident_char(text_[pos_])) {
            pos_++;
        }
        t.kind = Token::Kind::Ident;
        t.text = std::string(text_.substr(b, pos_ - b));
        t.end = pos_;
        return t;
    }
    if (is_digit(c)) {
        size_t b = pos_;
        int64_t v = 0;
        bool overflow = false;
        while (pos_ < text_.size() && is_digit(text_[pos_])) {
            int d = text_[pos_] - '0';
            if (v > (INT64_MAX - d) / 10) {
                overflow = true;
            } else {
                v = v * 10 + d;
            }
            pos_++;
        }
        t.kind = Token::Kind::Int;
        t.text = std::string(text_.substr(b, pos_ - b));
        t.value = v;
        t.end = pos_;
        if (pos_ < text_.size() && is_ident_start(text_[pos_])) {
            throw Error(t.loc, fmt::format("malformed number '{}{}'", t.text, text_[pos_]));
        }
        if (overflow) {
            throw Error(t.loc, fmt::format("integer literal {} does not fit in 64 bits", t.text));
        }
        return t;
    }
    static const char *two[] = {"<=", ">=", "==", "!=", ".."};
    for (const char *p : two) {
        if (text_.substr(pos_, 2) == p) {
            t.kind = Token::Kind::Punct;
            t.text = p;
            pos_ += 2;
            t.end = pos_;
            return t;
        }
    }
    static const std::string_view one = "(),;:.={}[]+-*/%<>";
    if (one.find(c) != std::string_view::npos) {
        t.kind = Token::Kind::Punct;
        t.text = std::string(1, c);
        pos_++;
        t.end = pos_;
        return t;
    }
    // Show unprintable bytes as hex so an error message stays one readable line.
    std::string shown = (c >= 0x20 && c < 0x7f) ? std::string(1, c)
                                                 : fmt::format("\\x{:02x}", static_cast<unsigned char>(c));
    throw Error(t.loc, fmt::format("unexpected character '{}'", shown));
}

}  // namespace seqmix::sched
