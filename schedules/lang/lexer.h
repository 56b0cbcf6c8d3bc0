// Tokens of the schedule language. Newlines are tokens (they end statements); comments and
// other whitespace are not.
#pragma once

#include "lang/schedule.h"

#include <string>
#include <string_view>

namespace seqmix::sched {

struct Token {
    enum class Kind { Ident, Int, Punct, Newline, End };
    Kind kind = Kind::End;
    std::string text;  // identifier, punctuation, or the digits of an Int
    int64_t value = 0;  // Int
    Loc loc;
    size_t begin = 0, end = 0;  // byte offsets in the source (for when_text)

    bool is(std::string_view punct_or_word) const {
        return (kind == Kind::Punct || kind == Kind::Ident) && text == punct_or_word;
    }
    // How the token reads in an error message: 'split', end of line, end of file.
    std::string describe() const;
};

class Lexer {
public:
    Lexer(std::string_view text, std::string filename);

    const Token &peek();
    Token next();
    // A run of characters up to whitespace, ';' or '#' (autoschedule options); nothing peeked.
    Token raw_word();
    // Location of the next character (after skipping blanks and comments).
    Loc here();
    std::string_view source() const {
        return text_;
    }
    const std::string &filename() const {
        return file_;
    }

private:
    Token lex();
    void skip_blanks();
    Loc loc_at(size_t pos) const;

    std::string_view text_;
    std::string file_;
    size_t pos_ = 0;
    int line_ = 1;
    size_t line_start_ = 0;
    bool has_peek_ = false;
    Token peek_;
};

}  // namespace seqmix::sched
