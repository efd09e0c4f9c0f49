#include "ld/rdf.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace staffroom::ld {

namespace {

constexpr char32_t kNoCodePoint = 0xFFFFFFFF;

bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

unsigned hex_value(char c) {
  if (c >= '0' && c <= '9') return static_cast<unsigned>(c - '0');
  if (c >= 'a' && c <= 'f') return static_cast<unsigned>(c - 'a' + 10);
  return static_cast<unsigned>(c - 'A' + 10);
}

bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Surrogates have no UTF-8 form, so neither raw text nor \u escapes may name them.
bool is_scalar_value(char32_t cp) {
  return cp <= 0x10FFFF && (cp < 0xD800 || cp > 0xDFFF);
}

// Decodes the UTF-8 sequence starting at text[pos] and moves pos past it.
// Overlong forms, surrogates and truncated sequences are malformed: they
// would let two different byte strings stand for one term.
char32_t decode_utf8(std::string_view text, std::size_t& pos) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(pos);
  if (lead < 0x80) {
    ++pos;
    return lead;
  }
  std::size_t length = 0;
  char32_t cp = 0;
  char32_t min = 0;
  if ((lead & 0xE0) == 0xC0) {
    length = 2, cp = lead & 0x1F, min = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, cp = lead & 0x0F, min = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, cp = lead & 0x07, min = 0x10000;
  } else {
    return kNoCodePoint;
  }
  if (text.size() - pos < length) return kNoCodePoint;
  for (std::size_t i = 1; i < length; ++i) {
    const unsigned char next = byte(pos + i);
    if ((next & 0xC0) != 0x80) return kNoCodePoint;
    cp = (cp << 6) | (next & 0x3F);
  }
  if (cp < min || !is_scalar_value(cp)) return kNoCodePoint;
  pos += length;
  return cp;
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// IRIREF excludes these even when written as \u escapes: the result would not
// be an IRI, and written back it could end the IRI early.
constexpr std::array<bool, 0x80> kForbiddenInIri = [] {
  std::array<bool, 0x80> forbidden{};
  for (std::size_t c = 0; c <= 0x20; ++c) forbidden[c] = true;
  for (const char c : std::string_view("<>\"{}|^`\\")) forbidden[static_cast<unsigned char>(c)] = true;
  return forbidden;
}();

bool is_forbidden_in_iri(char32_t cp) {
  return cp < 0x80 && kForbiddenInIri[cp];
}

// ASCII that an IRI holds as itself: everything else needs a closer look.
bool is_plain_iri_char(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return byte < 0x80 && !is_forbidden_in_iri(byte);
}

bool is_pn_chars_base(char32_t cp) {
  return (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') || (cp >= 0xC0 && cp <= 0xD6) ||
         (cp >= 0xD8 && cp <= 0xF6) || (cp >= 0xF8 && cp <= 0x2FF) || (cp >= 0x370 && cp <= 0x37D) ||
         (cp >= 0x37F && cp <= 0x1FFF) || (cp >= 0x200C && cp <= 0x200D) || (cp >= 0x2070 && cp <= 0x218F) ||
         (cp >= 0x2C00 && cp <= 0x2FEF) || (cp >= 0x3001 && cp <= 0xD7FF) || (cp >= 0xF900 && cp <= 0xFDCF) ||
         (cp >= 0xFDF0 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0xEFFFF);
}

bool is_pn_chars_u(char32_t cp) {
  return is_pn_chars_base(cp) || cp == '_' || cp == ':';
}

bool is_pn_chars(char32_t cp) {
  return is_pn_chars_u(cp) || cp == '-' || (cp >= '0' && cp <= '9') || cp == 0xB7 || (cp >= 0x300 && cp <= 0x36F) ||
         (cp >= 0x203F && cp <= 0x2040);
}

// N-Quads has no base IRI to resolve against, so every IRI needs a scheme.
bool has_scheme(std::string_view iri) {
  if (iri.empty() || !is_alpha(iri[0])) return false;
  for (std::size_t i = 1; i < iri.size(); ++i) {
    const char c = iri[i];
    if (c == ':') return true;
    if (!is_alpha(c) && !is_digit(c) && c != '+' && c != '-' && c != '.') return false;
  }
  return false;
}

std::string describe(char32_t cp) {
  static constexpr std::array<char, 16> kHex = {'0', '1', '2', '3', '4', '5', '6', '7',
                                                '8', '9', 'A', 'B', 'C', 'D', 'E', 'F'};
  std::string name = "U+";
  const int digits = cp > 0xFFFFFF ? 8 : cp > 0xFFFF ? 6 : 4;
  for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) name += kHex[(cp >> shift) & 0xF];
  if (cp > 0x20 && cp < 0x7F) {
    name += " '";
    name += static_cast<char>(cp);
    name += '\'';
  }
  return name;
}

// A hand-written scanner over the N-Quads grammar. Methods return false after
// recording the first error; the caller stops at once.
class NQuadsParser {
 public:
  explicit NQuadsParser(std::string_view text) : text_(text) {}

  Result<Dataset> parse() {
    Dataset dataset;
    // Growing a vector of quads copies every quad each time; a statement
    // takes a line and at least a dozen bytes, which bounds the guess.
    const auto lines = static_cast<std::size_t>(std::count(text_.begin(), text_.end(), '\n')) + 1;
    dataset.reserve(std::min(lines, text_.size() / 12));
    while (true) {
      skip_blanks();
      if (at_end()) break;
      const char c = text_[pos_];
      if (c == '#') {
        skip_comment();
      } else if (c == '\n' || c == '\r') {
        end_line();
      } else {
        Quad quad;
        if (!statement(quad)) return std::move(*error_);
        dataset.push_back(std::move(quad));
      }
    }
    return dataset;
  }

 private:
  bool at_end() const { return pos_ >= text_.size(); }
  char peek() const { return at_end() ? '\0' : text_[pos_]; }
  bool at_line_end() const { return at_end() || text_[pos_] == '\n' || text_[pos_] == '\r' || text_[pos_] == '#'; }

  bool fail(const std::string& problem) {
    if (!error_) {
      error_ = Error::bad_request("line " + std::to_string(line_) + ": " + problem + " (column " +
                                  std::to_string(pos_ - line_start_ + 1) + ")");
    }
    return false;
  }

  bool fail_here(std::string_view expected) {
    if (at_line_end()) return fail(std::string(expected) + ", found the end of the line");
    std::size_t probe = pos_;
    const char32_t cp = decode_utf8(text_, probe);
    if (cp == kNoCodePoint) return fail(std::string(expected) + ", found malformed UTF-8");
    return fail(std::string(expected) + ", found " + describe(cp));
  }

  void skip_blanks() {
    while (!at_end() && (text_[pos_] == ' ' || text_[pos_] == '\t')) ++pos_;
  }

  void skip_comment() {
    while (!at_end() && text_[pos_] != '\n' && text_[pos_] != '\r') ++pos_;
  }

  // CR LF, a lone LF and a lone CR each end one line.
  void end_line() {
    if (text_[pos_] == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n') ++pos_;
    ++pos_;
    ++line_;
    line_start_ = pos_;
  }

  bool statement(Quad& quad) {
    if (!subject_or_graph(quad.subject, "subject")) return false;
    skip_blanks();
    if (peek() != '<') return fail_here("expected the predicate IRI");
    if (!iri(quad.predicate)) return false;
    skip_blanks();
    if (!object(quad.object)) return false;
    skip_blanks();
    if (peek() != '.') {
      if (peek() != '<' && peek() != '_') return fail_here("expected a graph label or '.'");
      if (!subject_or_graph(quad.graph, "graph label")) return false;
      skip_blanks();
      if (peek() != '.') return fail_here("expected '.' to end the statement");
    }
    ++pos_;
    skip_blanks();
    if (peek() == '#') skip_comment();
    if (!at_end() && text_[pos_] != '\n' && text_[pos_] != '\r') {
      return fail_here("expected the end of the line after '.'");
    }
    return true;
  }

  bool subject_or_graph(Term& term, std::string_view role) {
    if (peek() == '<') return iri(term);
    if (peek() == '_') return blank_node(term);
    return fail_here("expected the " + std::string(role) + " (an IRI or blank node)");
  }

  bool object(Term& term) {
    switch (peek()) {
      case '<':
        return iri(term);
      case '_':
        return blank_node(term);
      case '"':
        return literal(term);
      default:
        return fail_here("expected the object (an IRI, blank node or literal)");
    }
  }

  // Reads the hex digits of a \u or \U escape; pos_ is on the 'u' or 'U'.
  bool numeric_escape(char32_t& cp) {
    const std::size_t digits = text_[pos_] == 'u' ? 4 : 8;
    ++pos_;
    cp = 0;
    for (std::size_t i = 0; i < digits; ++i) {
      if (at_end() || !is_hex(text_[pos_])) {
        return fail("\\" + std::string(1, digits == 4 ? 'u' : 'U') + " needs " + std::to_string(digits) +
                    " hex digits");
      }
      cp = (cp << 4) | hex_value(text_[pos_++]);
    }
    if (!is_scalar_value(cp)) return fail("escape names " + describe(cp) + ", which is not a Unicode scalar value");
    return true;
  }

  bool iri_text(std::string& out) {
    ++pos_;  // '<'
    while (true) {
      const std::size_t run = pos_;
      while (pos_ < text_.size() && is_plain_iri_char(text_[pos_])) ++pos_;
      out.append(text_.data() + run, pos_ - run);
      if (at_end() || text_[pos_] == '\n' || text_[pos_] == '\r') return fail("IRI is missing its closing '>'");
      const char c = text_[pos_];
      if (c == '>') {
        ++pos_;
        break;
      }
      if (c == '\\') {
        ++pos_;
        if (peek() != 'u' && peek() != 'U') return fail("only \\u and \\U escapes are allowed in an IRI");
        char32_t cp = 0;
        if (!numeric_escape(cp)) return false;
        if (is_forbidden_in_iri(cp)) return fail("escape in IRI names " + describe(cp) + ", not allowed in an IRI");
        append_utf8(out, cp);
        continue;
      }
      const std::size_t start = pos_;
      const char32_t cp = decode_utf8(text_, pos_);
      if (cp == kNoCodePoint) return fail("malformed UTF-8 in IRI");
      if (is_forbidden_in_iri(cp)) {
        pos_ = start;
        return fail("bad IRI: " + describe(cp) + " is not allowed in an IRI");
      }
      out.append(text_.data() + start, pos_ - start);
    }
    if (!has_scheme(out)) return fail("bad IRI <" + out + ">: N-Quads IRIs must be absolute (have a scheme)");
    return true;
  }

  bool iri(Term& term) {
    term.kind = TermKind::Iri;
    return iri_text(term.value);
  }

  bool blank_node(Term& term) {
    if (text_.substr(pos_, 2) != "_:") return fail_here("expected '_:' to start a blank node");
    pos_ += 2;
    const std::size_t start = pos_;
    std::size_t last_non_dot = pos_;  // end of the label without trailing dots
    bool first = true;
    while (!at_end()) {
      std::size_t next = pos_;
      const char32_t cp = decode_utf8(text_, next);
      if (cp == kNoCodePoint) return fail("malformed UTF-8 in blank node label");
      if (first) {
        if (!is_pn_chars_u(cp) && !(cp >= '0' && cp <= '9')) {
          return fail_here("blank node label must start with a letter, digit, '_' or ':'");
        }
        first = false;
      } else if (!is_pn_chars(cp) && cp != '.') {
        break;
      }
      pos_ = next;
      if (cp != '.') last_non_dot = pos_;
    }
    if (first) return fail_here("blank node label is empty");
    // A label cannot end with '.', so trailing dots end the statement instead.
    pos_ = last_non_dot;
    term.kind = TermKind::BlankNode;
    term.value.assign(text_.substr(start, pos_ - start));
    return true;
  }

  bool literal(Term& term) {
    ++pos_;  // '"'
    std::string& value = term.value;
    while (true) {
      if (at_end() || text_[pos_] == '\n' || text_[pos_] == '\r') {
        return fail("unterminated string literal (a line break inside one must be written \\n or \\r)");
      }
      const char c = text_[pos_];
      if (c == '"') {
        ++pos_;
        break;
      }
      if (c == '\\') {
        ++pos_;
        switch (peek()) {
          case 't':
            value += '\t';
            break;
          case 'b':
            value += '\b';
            break;
          case 'n':
            value += '\n';
            break;
          case 'r':
            value += '\r';
            break;
          case 'f':
            value += '\f';
            break;
          case '"':
            value += '"';
            break;
          case '\'':
            value += '\'';
            break;
          case '\\':
            value += '\\';
            break;
          case 'u':
          case 'U': {
            char32_t cp = 0;
            if (!numeric_escape(cp)) return false;
            append_utf8(value, cp);
            continue;
          }
          default:
            return fail_here(
                "unknown escape in string literal: expected one of \\t \\b \\n \\r \\f \\\" \\' \\\\ \\u \\U");
        }
        ++pos_;
        continue;
      }
      const std::size_t start = pos_;
      if (static_cast<unsigned char>(c) < 0x80) {
        while (pos_ < text_.size() && static_cast<unsigned char>(text_[pos_]) < 0x80 && text_[pos_] != '"' &&
               text_[pos_] != '\\' && text_[pos_] != '\n' && text_[pos_] != '\r') {
          ++pos_;
        }
      } else if (decode_utf8(text_, pos_) == kNoCodePoint) {
        return fail("malformed UTF-8 in string literal");
      }
      value.append(text_.substr(start, pos_ - start));
    }
    term.kind = TermKind::Literal;
    skip_blanks();
    if (peek() == '@') {
      ++pos_;
      const std::size_t start = pos_;
      if (!is_alpha(peek())) return fail_here("language tag must start with a letter");
      while (is_alpha(peek())) ++pos_;
      while (peek() == '-') {
        ++pos_;
        if (!is_alpha(peek()) && !is_digit(peek()))
          return fail_here("expected a letter or digit after '-' in language tag");
        while (is_alpha(peek()) || is_digit(peek())) ++pos_;
      }
      term.language.assign(text_.substr(start, pos_ - start));
      term.datatype.assign(kRdfLangString);
      return true;
    }
    if (peek() == '^') {
      if (text_.substr(pos_, 2) != "^^") return fail_here("expected '^^' before the datatype IRI");
      pos_ += 2;
      skip_blanks();
      if (peek() != '<') return fail_here("expected the datatype IRI after '^^'");
      if (!iri_text(term.datatype)) return false;
      if (term.datatype == kRdfLangString) return fail("rdf:langString literal has no language tag");
      return true;
    }
    term.datatype.assign(kXsdString);
    return true;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
  std::size_t line_start_ = 0;
  std::optional<Error> error_;
};

void append_hex4(std::string& out, unsigned value) {
  static constexpr std::string_view kHex = "0123456789ABCDEF";
  out += "\\u";
  for (int shift = 12; shift >= 0; shift -= 4) out += kHex[(value >> shift) & 0xF];
}

void append_iri(std::string& out, std::string_view iri) {
  out += '<';
  // A valid IRI is written as is. Characters IRIREF cannot hold are escaped
  // rather than copied, so no term can end early and forge another.
  std::size_t run = 0;
  for (std::size_t i = 0; i < iri.size(); ++i) {
    const auto c = static_cast<unsigned char>(iri[i]);
    if (c < 0x80 && is_forbidden_in_iri(c)) {
      out.append(iri.substr(run, i - run));
      append_hex4(out, c);
      run = i + 1;
    }
  }
  out.append(iri.substr(run));
  out += '>';
}

// Canonical N-Quads: BS HT LF FF CR " and \ as ECHAR; the other C0 controls,
// DEL, U+FFFE and U+FFFF (the characters outside XML 1.1's Char that UTF-8 can
// carry) as \u with four upper-case hex digits; everything else as itself.
void append_literal_text(std::string& out, std::string_view text) {
  out += '"';
  std::size_t run = 0;
  const auto flush = [&](std::size_t end) { out.append(text.substr(run, end - run)); };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    const char* echar = nullptr;
    switch (c) {
      case '\b':
        echar = "\\b";
        break;
      case '\t':
        echar = "\\t";
        break;
      case '\n':
        echar = "\\n";
        break;
      case '\f':
        echar = "\\f";
        break;
      case '\r':
        echar = "\\r";
        break;
      case '"':
        echar = "\\\"";
        break;
      case '\\':
        echar = "\\\\";
        break;
      default:
        break;
    }
    if (echar != nullptr) {
      flush(i);
      out += echar;
      run = i + 1;
    } else if (c < 0x20 || c == 0x7F) {
      flush(i);
      append_hex4(out, c);
      run = i + 1;
    } else if (c == 0xEF && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0xBF &&
               (static_cast<unsigned char>(text[i + 2]) & 0xFE) == 0xBE) {
      flush(i);
      append_hex4(out, 0xFFFE | (static_cast<unsigned char>(text[i + 2]) & 1));
      i += 2;
      run = i + 1;
    }
  }
  flush(text.size());
  out += '"';
}

}  // namespace

void append_term(std::string& out, const Term& term) {
  switch (term.kind) {
    case TermKind::Iri:
      append_iri(out, term.value);
      break;
    case TermKind::BlankNode:
      out += "_:";
      out += term.value;
      break;
    case TermKind::Literal:
      append_literal_text(out, term.value);
      if (!term.language.empty()) {
        out += '@';
        out += term.language;
      } else if (!term.datatype.empty() && term.datatype != kXsdString) {
        out += "^^";
        append_iri(out, term.datatype);
      }
      break;
    case TermKind::DefaultGraph:
      break;
  }
}

void append_nquad(std::string& out, const Quad& quad) {
  append_term(out, quad.subject);
  out += ' ';
  append_term(out, quad.predicate);
  out += ' ';
  append_term(out, quad.object);
  out += ' ';
  if (quad.graph.kind != TermKind::DefaultGraph) {
    append_term(out, quad.graph);
    out += ' ';
  }
  out += ".\n";
}

Result<Dataset> parse_nquads(std::string_view text) {
  return NQuadsParser(text).parse();
}

std::string to_nquad(const Quad& quad) {
  std::string line;
  line.reserve(quad.subject.value.size() + quad.predicate.value.size() + quad.object.value.size() +
               quad.object.datatype.size() + quad.graph.value.size() + 16);
  append_nquad(line, quad);
  return line;
}

std::string to_nquads(const Dataset& dataset) {
  std::string text;
  for (const Quad& quad : dataset) append_nquad(text, quad);
  return text;
}

}  // namespace staffroom::ld
