// models/scenario/shell_syntax.cpp: busybox ash's lexer and parser (parser.c), giving the syntax tree of
// shell_syntax.hpp and ash's syntax errors word for word.
// Simplification: the whole -c string is parsed before anything runs (ash parses and runs it one line
// at a time); `case`, here-documents and functions are not modelled (NotUnderstood).
#include "models/scenario/shell_syntax.hpp"

#include <array>
#include <cctype>

namespace podsim::scenario::shell_syntax {
namespace {

constexpr int kMaxDepth = 64;

// ---------------------------------------------------------------- tokens (ash's numbering and names)

enum Tok : int {
  TEOF, TNL, TREDIR, TWORD, TSEMI, TBACKGND, TAND, TOR, TPIPE, TLP, TRP, TENDCASE, TENDBQUOTE,
  // keywords
  TNOT, TCASE, TDO, TDONE, TELIF, TELSE, TESAC, TFI, TFOR, TIF, TIN, TTHEN, TUNTIL, TWHILE, TBEGIN, TEND,
};

constexpr std::array<std::string_view, 29> kTokNames = {
    "end of file", "newline", "redirection", "word", ";", "&", "&&", "||", "|", "(", ")", ";;", "`",
    "!", "case", "do", "done", "elif", "else", "esac", "fi", "for", "if", "in", "then", "until", "while",
    "{", "}"};

constexpr int kFirstKeyword = TNOT;

/// Tokens that end a list (ash's tokendlist).
bool endsList(int t) {
  switch (t) {
    case TEOF: case TRP: case TENDCASE: case TENDBQUOTE: case TDO: case TDONE: case TELIF: case TELSE:
    case TESAC: case TFI: case TTHEN: case TEND:
      return true;
    default:
      return false;
  }
}

/// ash's tokname(): the first four plainly, the rest in double quotes.
std::string tokName(int t) {
  const auto name = std::string(kTokNames[static_cast<std::size_t>(t)]);
  return t < TSEMI ? name : "\"" + name + "\"";
}


// ---------------------------------------------------------------- lexer

class Lexer {
 public:
  explicit Lexer(std::string_view s) : s_(s) {}

  /// Reads the next token (ash's xxreadtoken + readtoken1). Words fill `word`.
  int next(Word& word) {
    for (;;) {
      while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t')) ++pos_;
      if (pos_ >= s_.size()) return TEOF;
      const char c = s_[pos_];
      if (c == '#') {
        while (pos_ < s_.size() && s_[pos_] != '\n') ++pos_;
        continue;
      }
      if (c == '\\' && pos_ + 1 < s_.size() && s_[pos_ + 1] == '\n') {
        pos_ += 2;
        continue;
      }
      switch (c) {
        case '\n': ++pos_; return TNL;
        case ';':
          if (peekChar(1) == ';') { pos_ += 2; return TENDCASE; }
          ++pos_; return TSEMI;
        case '&':
          if (peekChar(1) == '&') { pos_ += 2; return TAND; }
          ++pos_; return TBACKGND;
        case '|':
          if (peekChar(1) == '|') { pos_ += 2; return TOR; }
          ++pos_; return TPIPE;
        case '(': ++pos_; return TLP;
        case ')': ++pos_; return TRP;
        case '<': case '>': {
          const std::size_t start = pos_;
          readRedirOperator();
          lastRedir = std::string(s_.substr(start, pos_ - start));
          return TREDIR;
        }
        default:
          break;
      }
      return readWord(word);
    }
  }

  bool sawHereDocument = false;
  std::string lastRedir;  // the operator of the last TREDIR, with its file descriptor digits (`>&`, `2>`)

 private:
  char peekChar(std::size_t ahead) const { return pos_ + ahead < s_.size() ? s_[pos_ + ahead] : '\0'; }

  void readRedirOperator() {
    const char c = s_[pos_++];
    const char d = peekChar(0);
    if (c == '>') {
      if (d == '>' || d == '&' || d == '|') ++pos_;
    } else {
      if (d == '<') {
        ++pos_;
        sawHereDocument = true;
        if (peekChar(0) == '-') ++pos_;
      } else if (d == '&' || d == '>') {
        ++pos_;
      }
    }
  }

  /// Skips a `$(...)`, `$((...))` or `${...}` starting at pos_ (at the '$'); appends it to out.
  void readDollar(Word& w) {
    const std::size_t start = pos_;
    ++pos_;  // '$'
    const char open = peekChar(0);
    if (open == '(' || open == '{') {
      const char close = open == '(' ? ')' : '}';
      int depth = 0;
      while (pos_ < s_.size()) {
        const char c = s_[pos_];
        if (c == '\\') { pos_ += 2; continue; }
        if (c == '\'') {
          const auto end = s_.find('\'', pos_ + 1);
          if (end == std::string_view::npos) throw SyntaxError{"unterminated quoted string"};
          pos_ = end + 1;
          continue;
        }
        if (c == open) ++depth;
        if (c == close && --depth == 0) { ++pos_; break; }
        ++pos_;
      }
      if (depth != 0) {
        throw SyntaxError{open == '(' ? "unexpected end of file (expecting \")\")" : "missing '}'"};
      }
    } else {
      while (pos_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '_')) ++pos_;
      if (pos_ == start + 1 && pos_ < s_.size() && std::string_view("@*#?-$!0123456789").find(s_[pos_]) != std::string_view::npos) ++pos_;
    }
    if (pos_ > s_.size()) pos_ = s_.size();
    w.text.append(s_.substr(start, pos_ - start));
    if (pos_ > start + 1) w.expansion = true;
  }

  int readWord(Word& w) {
    w = Word{};
    while (pos_ < s_.size()) {
      const char c = s_[pos_];
      if (c == ' ' || c == '\t' || c == '\n' || c == ';' || c == '&' || c == '|' || c == '(' || c == ')') break;
      if (c == '<' || c == '>') {
        // A word of digits right before a redirection operator is its file descriptor.
        if (!w.quoted && !w.text.empty() && w.text.size() <= 2 &&
            w.text.find_first_not_of("0123456789") == std::string::npos) {
          const std::size_t start = pos_;
          readRedirOperator();
          lastRedir = w.text + std::string(s_.substr(start, pos_ - start));
          return TREDIR;
        }
        break;
      }
      if (c == '\\') {
        w.quoted = true;
        if (pos_ + 1 < s_.size()) {
          if (s_[pos_ + 1] != '\n') w.text.push_back(s_[pos_ + 1]);
          pos_ += 2;
        } else {
          ++pos_;
        }
        continue;
      }
      if (c == '\'') {
        const auto end = s_.find('\'', pos_ + 1);
        if (end == std::string_view::npos) throw SyntaxError{"unterminated quoted string"};
        w.text.append(s_.substr(pos_ + 1, end - pos_ - 1));
        w.quoted = true;
        pos_ = end + 1;
        continue;
      }
      if (c == '"') {
        w.quoted = true;
        ++pos_;
        bool closed = false;
        while (pos_ < s_.size()) {
          const char d = s_[pos_];
          if (d == '"') { ++pos_; closed = true; break; }
          if (d == '\\' && pos_ + 1 < s_.size()) {
            const char e = s_[pos_ + 1];
            if (e == '$' || e == '`' || e == '"' || e == '\\') { w.text.push_back(e); pos_ += 2; continue; }
            if (e == '\n') { pos_ += 2; continue; }
          }
          if (d == '$') { readDollar(w); continue; }
          if (d == '`') { readBackquote(w); continue; }
          w.text.push_back(d);
          ++pos_;
        }
        if (!closed) throw SyntaxError{"unterminated quoted string"};
        continue;
      }
      if (c == '$') { readDollar(w); continue; }
      if (c == '`') { readBackquote(w); continue; }
      w.text.push_back(c);
      ++pos_;
    }
    return TWORD;
  }

  void readBackquote(Word& w) {
    const std::size_t start = pos_++;
    while (pos_ < s_.size() && s_[pos_] != '`') pos_ += s_[pos_] == '\\' ? 2 : 1;
    if (pos_ >= s_.size()) throw SyntaxError{"EOF in backquote substitution"};
    ++pos_;
    w.text.append(s_.substr(start, pos_ - start));
    w.expansion = true;
  }

  std::string_view s_;
  std::size_t pos_ = 0;
};


// ---------------------------------------------------------------- parser (ash parser.c)

class Parser {
 public:
  explicit Parser(std::string_view s) : lex_(s) {}

  NodeP parseScript() {
    auto n = list(1);
    if (readtoken() != TEOF) throw SyntaxError{"unexpected " + tokName(last_)};
    return n;
  }

  bool sawHereDocument() const { return lex_.sawHereDocument; }

 private:
  static constexpr int CHKNL = 1, CHKKWD = 2;

  int readtoken() {
    int t = 0;
    for (;;) {
      if (pushback_) {
        pushback_ = false;
        t = last_;  // a pushed-back token keeps its keyword-ness, as in ash
      } else {
        t = lex_.next(word_);
      }
      if ((checkkwd_ & CHKNL) && t == TNL) continue;
      break;
    }
    if (t == TWORD && !word_.quoted && (checkkwd_ & CHKKWD)) {
      for (int k = kFirstKeyword; k < static_cast<int>(kTokNames.size()); ++k) {
        if (word_.text == kTokNames[static_cast<std::size_t>(k)]) { t = k; break; }
      }
    }
    checkkwd_ = 0;
    last_ = t;
    return t;
  }
  int peektoken() {
    const int t = readtoken();
    pushback_ = true;
    return t;
  }
  [[noreturn]] void unexpected(int expecting) {
    std::string m = "unexpected " + tokName(last_);
    if (expecting >= 0) m += " (expecting " + tokName(expecting) + ")";
    throw SyntaxError{m};
  }

  struct DepthGuard {
    explicit DepthGuard(int& d) : d_(d) {
      if (++d_ > kMaxDepth) throw NotUnderstoodError{"script nested too deeply"};
    }
    ~DepthGuard() { --d_; }
    int& d_;
  };

  NodeP list(int nlflag) {
    DepthGuard guard(depth_);
    auto seq = makeNode(Node::Type::Seq);
    for (;;) {
      const int t0 = readtoken();
      if (t0 == TNL && (nlflag & 1)) {
        // ash returns at a newline of the top level and is called again; reading on is the same here.
        continue;
      }
      if (t0 == TEOF) {
        pushback_ = true;
        return seq;
      }
      pushback_ = true;
      checkkwd_ = CHKNL | CHKKWD;
      if (nlflag == 2 && endsList(peektoken())) return seq;
      nlflag |= 2;
      auto n = andor();
      const int t = readtoken();
      if (t == TBACKGND) {
        auto bg = makeNode(Node::Type::Background);
        bg->kids.push_back(std::move(n));
        n = std::move(bg);
      }
      seq->kids.push_back(std::move(n));
      switch (t) {
        case TNL: case TEOF:
          pushback_ = true;
          break;
        case TBACKGND: case TSEMI:
          break;
        default:
          if (nlflag & 1) unexpected(-1);
          pushback_ = true;
          return seq;
      }
    }
  }

  NodeP andor() {
    auto n1 = pipeline();
    for (;;) {
      const int t = readtoken();
      if (t != TAND && t != TOR) {
        pushback_ = true;
        return n1;
      }
      checkkwd_ = CHKNL | CHKKWD;
      auto n2 = pipeline();
      auto n = makeNode(t == TAND ? Node::Type::And : Node::Type::Or);
      n->kids.push_back(std::move(n1));
      n->kids.push_back(std::move(n2));
      n1 = std::move(n);
    }
  }

  NodeP pipeline() {
    bool negate = false;
    checkkwd_ = CHKKWD;
    if (readtoken() == TNOT) {
      negate = true;
      checkkwd_ = CHKKWD;
    } else {
      pushback_ = true;
    }
    auto n1 = command();
    if (readtoken() == TPIPE) {
      auto p = makeNode(Node::Type::Pipe);
      p->kids.push_back(std::move(n1));
      do {
        checkkwd_ = CHKNL | CHKKWD;
        p->kids.push_back(command());
      } while (readtoken() == TPIPE);
      n1 = std::move(p);
    }
    pushback_ = true;
    if (negate) {
      auto n = makeNode(Node::Type::Not);
      n->kids.push_back(std::move(n1));
      n1 = std::move(n);
    }
    return n1;
  }

  NodeP command() {
    DepthGuard guard(depth_);
    NodeP n;
    int closing = -1;
    switch (readtoken()) {
      case TIF: {
        n = makeNode(Node::Type::If);
        Node* cur = n.get();
        cur->kids.push_back(list(0));
        if (readtoken() != TTHEN) unexpected(TTHEN);
        cur->kids.push_back(list(0));
        while (readtoken() == TELIF) {
          auto elif = makeNode(Node::Type::If);
          Node* next = elif.get();
          next->kids.push_back(list(0));
          if (readtoken() != TTHEN) unexpected(TTHEN);
          next->kids.push_back(list(0));
          cur->kids.push_back(std::move(elif));
          cur = next;
        }
        if (last_ == TELSE) {
          cur->kids.push_back(list(0));
        } else {
          cur->kids.push_back(nullptr);
          pushback_ = true;
        }
        closing = TFI;
        break;
      }
      case TWHILE: case TUNTIL: {
        n = makeNode(last_ == TWHILE ? Node::Type::While : Node::Type::Until);
        n->kids.push_back(list(0));
        if (readtoken() != TDO) unexpected(TDO);
        n->kids.push_back(list(0));
        closing = TDONE;
        break;
      }
      case TFOR: {
        n = makeNode(Node::Type::For);
        if (readtoken() != TWORD || word_.quoted || !isName(word_.text)) throw SyntaxError{"bad for loop variable"};
        checkkwd_ = CHKNL | CHKKWD;
        if (readtoken() == TIN) {
          n->forHasIn = true;
          while (readtoken() == TWORD) n->words.push_back(word_);
          if (last_ != TNL && last_ != TSEMI) unexpected(-1);
        } else if (last_ != TSEMI) {
          pushback_ = true;
        }
        checkkwd_ = CHKNL | CHKKWD;
        if (readtoken() != TDO) unexpected(TDO);
        n->kids.push_back(list(0));
        closing = TDONE;
        break;
      }
      case TCASE:
        throw NotUnderstoodError{"\"case\" statements are not modelled"};
      case TLP: case TBEGIN: {
        const bool subshell = last_ == TLP;
        n = list(0);
        closing = subshell ? TRP : TEND;
        break;
      }
      case TWORD: case TREDIR:
        pushback_ = true;
        return simplecmd();
      default:
        unexpected(-1);
    }
    if (readtoken() != closing) unexpected(closing);
    checkkwd_ = CHKKWD;
    while (readtoken() == TREDIR) parsefname();
    pushback_ = true;
    return n;
  }

  void parsefname() {
    if (readtoken() != TWORD) unexpected(-1);
  }

  static bool isName(const std::string& s) {
    if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0]))) return false;
    for (const char c : s) {
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
    }
    return true;
  }

  NodeP simplecmd() {
    auto n = makeNode(Node::Type::Simple);
    for (;;) {
      const int t = readtoken();
      if (t == TWORD) {
        n->words.push_back(word_);
      } else if (t == TREDIR) {
        const std::string op = lex_.lastRedir;
        parsefname();
        redirect(*n, op, word_.text);
      } else if (t == TLP && n->words.size() == 1) {
        // `name() compound-command`: a function definition.
        if (readtoken() != TRP) unexpected(-1);
        checkkwd_ = CHKNL | CHKKWD;
        auto f = makeNode(Node::Type::FuncDef);
        f->kids.push_back(command());
        return f;
      } else {
        pushback_ = true;
        break;
      }
    }
    return n;
  }

  /// Applies one redirection to where a simple command's output goes (`>&2`, `1>&2`, `2>&1`,
  /// `>/dev/null`, `> file`). Input redirections change nothing.
  static void redirect(Node& n, const std::string& op, const std::string& target) {
    const auto digits = op.find_first_not_of("0123456789");
    if (digits == std::string::npos || op[digits] == '<') return;
    const int fd = digits == 0 ? 1 : std::atoi(op.substr(0, digits).c_str());
    std::uint8_t to = 0;
    if (op.back() == '&') {
      to = target == "1" ? n.outTo : target == "2" ? n.errTo : 0;
    } else if (target == "/dev/stdout") {
      to = 1;
    } else if (target == "/dev/stderr") {
      to = 2;
    }
    if (fd == 1) n.outTo = to;
    else if (fd == 2) n.errTo = to;
  }

  Lexer lex_;
  Word word_;
  int last_ = TEOF;
  bool pushback_ = false;
  int checkkwd_ = 0;
  int depth_ = 0;
};


}  // namespace

NodeP parseScript(std::string_view script, bool& sawHereDocument) {
  Parser parser(script);
  NodeP tree = parser.parseScript();
  sawHereDocument = parser.sawHereDocument();
  return tree;
}

}  // namespace podsim::scenario::shell_syntax
