// models/scenario/shell.cpp: the compiler from a busybox ash syntax tree (shell_syntax.*, which parses
// with ash's grammar and messages) to ShellOps, and the output the modelled programs print.
#include "models/scenario/shell.hpp"
#include "models/scenario/shell_syntax.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <map>
#include <optional>
#include <string_view>

namespace podsim::scenario {
namespace {

using namespace shell_syntax;

__extension__ typedef __int128 Wide;  // exact products of decimal digits and units

constexpr std::size_t kMaxScriptBytes = 64 * 1024;
constexpr std::size_t kMaxOps = 100'000;
constexpr std::int64_t kMaxForWords = 1'000;

// ---------------------------------------------------------------- the programs the simulator models

std::string baseName(const std::string& p) {
  const auto slash = p.rfind('/');
  return slash == std::string::npos ? p : p.substr(slash + 1);
}

/// busybox sleep's argument: a decimal number with an optional s/m/h/d suffix, in ns; nullopt if invalid.
std::optional<sim::Time> parseSleepArg(std::string_view a) {
  if (a.empty()) return std::nullopt;
  Wide whole = 0, frac = 0, scale = 1;
  std::size_t i = 0;
  bool digits = false;
  while (i < a.size() && a[i] >= '0' && a[i] <= '9') {
    whole = whole * 10 + (a[i] - '0');
    if (whole > static_cast<Wide>(1) << 62) return std::nullopt;
    digits = true;
    ++i;
  }
  if (i < a.size() && a[i] == '.') {
    ++i;
    while (i < a.size() && a[i] >= '0' && a[i] <= '9') {
      if (scale < static_cast<Wide>(1'000'000'000'000'000'000LL)) {
        frac = frac * 10 + (a[i] - '0');
        scale *= 10;
      }
      digits = true;
      ++i;
    }
  }
  if (!digits) return std::nullopt;
  Wide unit = sim::kSecond;
  if (i < a.size()) {
    switch (a[i]) {
      case 's': unit = sim::kSecond; break;
      case 'm': unit = sim::kMinute; break;
      case 'h': unit = sim::kHour; break;
      case 'd': unit = 24 * static_cast<Wide>(sim::kHour); break;
      default: return std::nullopt;
    }
    if (++i != a.size()) return std::nullopt;
  }
  const Wide ns = whole * unit + frac * unit / scale;
  if (ns >= sim::kForever) return std::nullopt;
  return static_cast<sim::Time>(ns);
}

bool isDnsLabel(std::string_view s) {
  if (s.empty() || s.size() > 63) return false;
  for (const char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return s.front() != '-' && s.back() != '-';
}

bool looksLikeIp(std::string_view s) {
  return !s.empty() && (s.find_first_not_of("0123456789.") == std::string_view::npos || s.find(':') != std::string_view::npos);
}

/// The Service a host name denotes: its first DNS label (`mydb.default.svc.cluster.local` -> mydb).
/// Throws NotUnderstoodError for IP addresses, localhost and names built at run time.
std::string serviceOfHost(const std::string& cmd, std::string_view host) {
  const std::string_view label = host.substr(0, host.find('.'));
  if (label.find('$') != std::string_view::npos || label.find('`') != std::string_view::npos) {
    throw NotUnderstoodError{"\"" + cmd + "\" to a host computed at run time (" + std::string(host) + ")"};
  }
  if (looksLikeIp(host) || label == "localhost") {
    throw NotUnderstoodError{"\"" + cmd + "\" to " + std::string(host) + ", which is not a Service name"};
  }
  if (!isDnsLabel(label)) {
    throw NotUnderstoodError{"\"" + cmd + "\" to " + std::string(host) + ", which is not a Service name"};
  }
  return std::string(label);
}

/// Host part of a URL (`http://HOST[:port]/path`, `HOST:port/path`, `HOST`).
std::string_view urlHost(std::string_view url) {
  if (const auto scheme = url.find("://"); scheme != std::string_view::npos) url.remove_prefix(scheme + 3);
  if (const auto at = url.find('@'); at != std::string_view::npos && at < url.find('/')) url.remove_prefix(at + 1);
  return url.substr(0, url.find_first_of(":/?#"));
}

// ---------------------------------------------------------------- compiler

/// Which of the image's network tools a Lookup/Connect op runs.
enum class Tool : std::uint8_t { Nslookup, Wget, Nc, Curl };

/// A line a program writes, before its text is interned (finishProgram).
struct PendingLine {
  std::string text;
  LogStream stream = LogStream::Stdout;
};

/// A Lookup/Connect op whose messages are made once its Service's index is known (finishProgram).
struct ToolUse {
  std::size_t op = 0;
  Tool tool = Tool::Nslookup;
  std::string host;   // as written
  std::string port;   // as written, or the URL scheme's default
  bool quiet = false; // wget -q: only errors
  std::uint8_t outTo = 1;
  std::uint8_t errTo = 2;
};

/// busybox echo's and printf's backslash escapes (\n, \t, \\, \c ends the output; \0NNN not modelled).
std::string unescape(std::string_view s, bool& stop) {
  std::string r;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\' || i + 1 >= s.size()) {
      r.push_back(s[i]);
      continue;
    }
    switch (s[++i]) {
      case 'n': r.push_back('\n'); break;
      case 't': r.push_back('\t'); break;
      case '\\': r.push_back('\\'); break;
      case 'c': stop = true; return r;
      default: r.push_back('\\'); r.push_back(s[i]); break;
    }
  }
  return r;
}

/// Splits written text into the lines `kubectl logs` shows (a last line without its newline still shows).
std::vector<std::string> splitLines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    const auto nl = text.find('\n', start);
    if (nl == std::string::npos) {
      out.push_back(text.substr(start));
      break;
    }
    out.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return out;
}

class Compiler {
 public:
  /// The programs on the image's PATH, sorted (ShellContext::commands); null: not known.
  const std::vector<std::string>* commands = nullptr;
  std::string shellName = "sh";
  std::vector<ShellOp> ops;
  std::vector<std::string> services;  // local interning; mapped to the caller's indices at the end
  std::vector<PendingLine> lines;     // what the program writes (ShellOp::out -> outputs -> lines)
  std::vector<ShellOutput> outputs;
  std::vector<ToolUse> tools;
  std::vector<std::int64_t> toolService;  // parallel to tools: the local service index

  /// Adds lines to the table and returns their range.
  LogRange addLines(const std::vector<PendingLine>& ls) {
    LogRange r{static_cast<std::int32_t>(lines.size()), 0};
    for (const auto& l : ls) {
      lines.push_back(l);
      ++r.count;
    }
    return r;
  }

  void compile(const Node* n) {
    if (n == nullptr) return;
    switch (n->type) {
      case Node::Type::Simple:
        simple(n->words, n->outTo, n->errTo);
        break;
      case Node::Type::Seq:
        if (n->kids.empty()) emit(ShellOp::Kind::Status, 0);
        for (const auto& k : n->kids) compile(k.get());
        break;
      case Node::Type::And:
      case Node::Type::Or: {
        compile(n->kids[0].get());
        const auto j = emit(n->type == Node::Type::And ? ShellOp::Kind::JumpIfNonZero : ShellOp::Kind::JumpIfZero, 0);
        compile(n->kids[1].get());
        patch(j, here());
        break;
      }
      case Node::Type::Not: {
        compile(n->kids[0].get());
        const auto j1 = emit(ShellOp::Kind::JumpIfZero, 0);
        emit(ShellOp::Kind::Status, 0);
        const auto j2 = emit(ShellOp::Kind::Jump, 0);
        patch(j1, here());
        emit(ShellOp::Kind::Status, 1);
        patch(j2, here());
        break;
      }
      case Node::Type::Until: {
        // L: C; JumpIfZero END; B; Jump L; END
        const auto loop = here();
        compile(n->kids[0].get());
        const auto j = emit(ShellOp::Kind::JumpIfZero, 0);
        compile(n->kids[1].get());
        emit(ShellOp::Kind::Jump, loop);
        patch(j, here());
        break;
      }
      case Node::Type::While: {
        // L: C; JumpIfNonZero END; B; Jump L; END: Status 0 (a loop that ends by its test has $? 0;
        // Simplification: POSIX gives the last body's status, which for course scripts is sleep's 0).
        const auto loop = here();
        compile(n->kids[0].get());
        const auto j = emit(ShellOp::Kind::JumpIfNonZero, 0);
        compile(n->kids[1].get());
        emit(ShellOp::Kind::Jump, loop);
        patch(j, here());
        emit(ShellOp::Kind::Status, 0);
        break;
      }
      case Node::Type::If: {
        // C; JumpIfNonZero ELSE; T; Jump END; ELSE: E (or $? := 0); END
        compile(n->kids[0].get());
        const auto jElse = emit(ShellOp::Kind::JumpIfNonZero, 0);
        compile(n->kids[1].get());
        const auto jEnd = emit(ShellOp::Kind::Jump, 0);
        patch(jElse, here());
        if (n->kids[2]) {
          compile(n->kids[2].get());
        } else {
          emit(ShellOp::Kind::Status, 0);
        }
        patch(jEnd, here());
        break;
      }
      case Node::Type::For: {
        if (!n->forHasIn) throw NotUnderstoodError{"\"for\" over the positional parameters"};
        for (const auto& w : n->words) {
          if (w.expansion || (!w.quoted && w.text.find_first_of("*?[") != std::string::npos)) {
            throw NotUnderstoodError{"\"for\" over words computed at run time (" + w.text + ")"};
          }
        }
        if (static_cast<std::int64_t>(n->words.size()) > kMaxForWords) throw NotUnderstoodError{"\"for\" over too many words"};
        emit(ShellOp::Kind::Status, 0);
        for (std::size_t i = 0; i < n->words.size(); ++i) compile(n->kids[0].get());
        break;
      }
      case Node::Type::Pipe:
        throw NotUnderstoodError{"pipelines (|)"};
      case Node::Type::Background:
        throw NotUnderstoodError{"background jobs (&)"};
      case Node::Type::FuncDef:
        throw NotUnderstoodError{"function definitions"};
      case Node::Type::CaseStmt:
        throw NotUnderstoodError{"\"case\" statements are not modelled"};
    }
  }

  /// Makes every jump to "end of script" (exit without a code) point past the last op.
  void finish() {
    for (const auto i : exitJumps_) ops[i].value = static_cast<std::int64_t>(ops.size());
  }

  /// Compiles one command given as literal argv (exec form, no shell).
  void simpleLiteral(const std::vector<std::string>& argv) {
    std::vector<Word> words;
    for (const auto& a : argv) words.push_back(Word{a, true, false});
    simple(words);
  }

 private:
  std::int64_t here() const { return static_cast<std::int64_t>(ops.size()); }

  std::size_t emit(ShellOp::Kind k, std::int64_t v) {
    if (ops.size() >= kMaxOps) throw NotUnderstoodError{"script too long"};
    ops.push_back(ShellOp{k, v});
    return ops.size() - 1;
  }
  void patch(std::size_t i, std::int64_t target) { ops[i].value = target; }

  std::int64_t service(const std::string& name) {
    for (std::size_t i = 0; i < services.size(); ++i) {
      if (services[i] == name) return static_cast<std::int64_t>(i);
    }
    services.push_back(name);
    return static_cast<std::int64_t>(services.size() - 1);
  }

  static void requireLiteral(const std::string& cmd, const Word& w) {
    if (w.expansion) throw NotUnderstoodError{"\"" + cmd + "\" with an argument computed at run time (" + w.text + ")"};
  }

  /// Status `status` writing `text`'s lines to stream `to` (1 stdout, 2 stderr, 0 nowhere).
  void emitWrite(std::int64_t status, const std::string& text, std::uint8_t to) {
    const auto i = emit(ShellOp::Kind::Status, status);
    if (to == 0) return;
    std::vector<PendingLine> ls;
    for (auto& l : splitLines(text)) ls.push_back({std::move(l), to == 2 ? LogStream::Stderr : LogStream::Stdout});
    if (ls.empty()) return;
    ShellOutput o;
    o.ok = addLines(ls);
    ops[i].out = static_cast<std::int32_t>(outputs.size());
    outputs.push_back(o);
  }

  /// echo [-neE] WORDS: the words joined by spaces (busybox ash's builtin: escapes only with -e).
  void echo(const std::vector<Word>& args, std::uint8_t outTo) {
    std::size_t i = 0;
    bool newline = true, escapes = false;
    for (; i < args.size(); ++i) {
      const auto& t = args[i].text;
      if (t.size() < 2 || t[0] != '-' || t.find_first_not_of("neE", 1) != std::string::npos) break;
      for (const char f : t.substr(1)) {
        if (f == 'n') newline = false;
        else escapes = f == 'e';
      }
    }
    std::string text;
    bool stop = false;
    for (std::size_t k = i; k < args.size() && !stop; ++k) {
      if (k > i) text += ' ';
      text += escapes ? unescape(args[k].text, stop) : args[k].text;
    }
    if (newline && !stop) text += '\n';
    emitWrite(0, text, outTo);
  }

  /// printf FORMAT [ARGS]: %s %d %i %% and the backslash escapes; the format is reused while arguments remain.
  void printfCmd(const std::vector<Word>& args, std::uint8_t outTo) {
    if (args.empty()) {
      emitWrite(1, "printf: usage: printf FORMAT [ARGUMENT]...", 2);
      return;
    }
    bool stop = false;
    const std::string fmt = unescape(args[0].text, stop);
    std::string text;
    std::size_t next = 1;
    for (int round = 0; round < 100; ++round) {
      for (std::size_t k = 0; k < fmt.size(); ++k) {
        if (fmt[k] != '%' || k + 1 >= fmt.size()) {
          text.push_back(fmt[k]);
          continue;
        }
        const char conv = fmt[++k];
        if (conv == '%') {
          text.push_back('%');
        } else if (conv == 's' || conv == 'd' || conv == 'i' || conv == 'u') {
          if (next < args.size()) text += args[next++].text;
          else if (conv != 's') text += '0';
        } else {
          text.push_back('%');
          text.push_back(conv);
        }
      }
      if (next >= args.size() || next == 1) break;
    }
    emitWrite(0, text, outTo);
  }

  void simple(std::vector<Word> words, std::uint8_t outTo = 1, std::uint8_t errTo = 2) {
    // Leading NAME=value words are assignments; a command of only assignments succeeds.
    std::size_t first = 0;
    while (first < words.size() && !words[first].quoted) {
      const auto eq = words[first].text.find('=');
      if (eq == std::string::npos || eq == 0) break;
      const auto name = words[first].text.substr(0, eq);
      if (name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") != std::string::npos) break;
      ++first;
    }
    words.erase(words.begin(), words.begin() + static_cast<std::ptrdiff_t>(first));
    while (!words.empty() && !words[0].expansion && (words[0].text == "exec" || words[0].text == "command")) {
      words.erase(words.begin());
    }
    if (words.empty()) {
      emit(ShellOp::Kind::Status, 0);
      return;
    }
    if (words[0].expansion) throw NotUnderstoodError{"command computed at run time (" + words[0].text + ")"};
    const std::string cmd = baseName(words[0].text);
    std::vector<Word> args(words.begin() + 1, words.end());

    if (cmd == "echo") {
      echo(args, outTo);
    } else if (cmd == "printf") {
      printfCmd(args, outTo);
    } else if (cmd == "true" || cmd == ":") {
      emit(ShellOp::Kind::Status, 0);
    } else if (cmd == "false") {
      emit(ShellOp::Kind::Status, 1);
    } else if (cmd == "sleep") {
      sleep(args, errTo);
    } else if (cmd == "exit") {
      if (args.empty()) {
        exitJumps_.push_back(emit(ShellOp::Kind::Jump, 0));
      } else {
        requireLiteral(cmd, args[0]);
        const auto& a = args[0].text;
        if (!a.empty() && a.size() <= 9 && a.find_first_not_of("0123456789") == std::string::npos) {
          emit(ShellOp::Kind::Exit, std::stoll(a) & 255);
        } else {
          emit(ShellOp::Kind::Exit, 2);  // ash: "exit: Illegal number", and the shell exits with 2
        }
      }
    } else if (cmd == "nslookup") {
      const Word* name = nullptr;
      for (const auto& a : args) {
        if (!a.text.empty() && a.text[0] == '-') continue;
        name = &a;
        break;
      }
      if (name == nullptr) throw NotUnderstoodError{"\"nslookup\" without a name"};
      const auto svc = service(serviceOfHost(cmd, name->text));
      useTool(emit(ShellOp::Kind::Lookup, svc), svc, {0, Tool::Nslookup, name->text, "53", false, outTo, errTo});
    } else if (cmd == "wget" || cmd == "curl") {
      connectUrl(cmd, args, outTo, errTo);
    } else if (cmd == "nc" || cmd == "netcat") {
      // nc [-z] [-v] [-w SECS] HOST PORT
      static const std::vector<std::string> withValue = {"-w", "-i", "-p", "-s", "-q", "-W", "-e"};
      std::vector<const Word*> pos;
      for (std::size_t i = 0; i < args.size(); ++i) {
        const auto& t = args[i].text;
        if (!t.empty() && t[0] == '-') {
          if (std::find(withValue.begin(), withValue.end(), t) != withValue.end()) ++i;
          continue;
        }
        pos.push_back(&args[i]);
      }
      if (pos.empty()) throw NotUnderstoodError{"\"nc\" without a host"};
      const auto svc = service(serviceOfHost(cmd, pos[0]->text));
      useTool(emit(ShellOp::Kind::Connect, svc), svc,
              {0, Tool::Nc, pos[0]->text, pos.size() > 1 ? pos[1]->text : "", false, outTo, errTo});
    } else if (cmd == "tail") {
      for (const auto& a : args) {
        if (a.text == "-f" || a.text == "-F" || a.text.rfind("--follow", 0) == 0) {
          emit(ShellOp::Kind::Forever, 0);
          return;
        }
      }
      throw NotUnderstoodError{"\"tail\" without -f"};
    } else if (commands != nullptr && words[0].text.find('/') == std::string::npos && !isAshBuiltin(cmd) &&
               !std::binary_search(commands->begin(), commands->end(), cmd)) {
      // Not a builtin and on no directory of PATH: ash's "NAME: not found" on stderr, $? 127
      // (busybox shell/ash.c shellexec: ash_msg_and_raise(EXEXIT, "%s: %s", argv[0], errmsg(e, E_EXEC))).
      emitWrite(127, shellName + ": " + cmd + ": not found\n", errTo);
    } else {
      throw NotUnderstoodError{"unknown command \"" + cmd + "\""};
    }
  }

  /// busybox ash's builtins that are not applets (shell/ash.c builtintab): never "not found".
  static bool isAshBuiltin(const std::string& c) {
    static const std::vector<std::string> kBuiltins = {
        ".",     ":",      "[",    "[[",     "alias",  "bg",      "break",  "cd",       "chdir",  "command",
        "continue", "echo", "eval", "exec",  "exit",   "export",  "false",  "fg",       "getopts", "hash",
        "help",  "history", "jobs", "kill",  "let",    "local",   "printf", "pwd",      "read",   "readonly",
        "return", "set",   "shift", "source", "test",  "times",   "trap",   "true",     "type",   "ulimit",
        "umask", "unalias", "unset", "wait"};
    return std::find(kBuiltins.begin(), kBuiltins.end(), c) != kBuiltins.end();
  }

  void useTool(std::size_t op, std::int64_t svc, ToolUse use) {
    use.op = op;
    tools.push_back(std::move(use));
    toolService.push_back(svc);
  }

  void sleep(const std::vector<Word>& args, std::uint8_t errTo) {
    sim::Time total = 0;
    bool valid = !args.empty();
    for (const auto& a : args) {
      requireLiteral("sleep", a);
      if (a.text == "infinity" || a.text == "inf") {
        emit(ShellOp::Kind::Forever, 0);
        return;
      }
      const auto t = parseSleepArg(a.text);
      if (!t || *t > sim::kForever - 1 - total) {
        valid = false;
        break;
      }
      total += *t;
    }
    if (valid) {
      emit(ShellOp::Kind::Sleep, total);
    } else if (args.empty()) {
      emit(ShellOp::Kind::Status, 1);  // busybox prints its usage text (not modelled)
    } else {
      // busybox sleep (coreutils/sleep.c via xatoul_range_sfx): "sleep: invalid number 'X'", status 1.
      std::string bad;
      for (const auto& a : args) {
        if (a.text != "infinity" && a.text != "inf" && !parseSleepArg(a.text)) {
          bad = a.text;
          break;
        }
      }
      emitWrite(1, "sleep: invalid number '" + bad + "'", errTo);
    }
  }

  void connectUrl(const std::string& cmd, const std::vector<Word>& args, std::uint8_t outTo, std::uint8_t errTo) {
    static const std::vector<std::string> wgetValue = {"-O", "-o", "-T", "-t", "-U", "-P", "-Y", "-e", "--header", "--post-data", "--user-agent"};
    static const std::vector<std::string> curlValue = {"-o", "-H", "-X", "-d", "-m", "-u", "-A", "-w", "-e", "-x", "--max-time", "--connect-timeout", "--retry", "--header", "--data", "--output", "--request", "--user", "--write-out", "--retry-delay"};
    const auto& withValue = cmd == "wget" ? wgetValue : curlValue;
    const Word* url = nullptr;
    bool quiet = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
      const auto& t = args[i].text;
      if (t == "-q" || t == "--quiet" || t == "-s" || t == "--silent" || t == "-qO-" || t == "-qO") quiet = true;
      if (!t.empty() && t[0] == '-' && t != "-") {
        if (std::find(withValue.begin(), withValue.end(), t) != withValue.end()) ++i;
        continue;
      }
      url = &args[i];
    }
    if (url == nullptr) throw NotUnderstoodError{"\"" + cmd + "\" without a URL"};
    const std::string host(urlHost(url->text));
    const auto svc = service(serviceOfHost(cmd, host));
    std::string port = url->text.rfind("https://", 0) == 0 ? "443" : "80";
    if (const auto p = std::string_view(url->text).substr(url->text.find(host) + host.size()); !p.empty() && p[0] == ':') {
      port = std::string(p.substr(1, p.find_first_of("/?#") == std::string_view::npos ? p.size() - 1 : p.find_first_of("/?#") - 1));
    }
    useTool(emit(ShellOp::Kind::Connect, svc), svc, {0, cmd == "wget" ? Tool::Wget : Tool::Curl, host, port, quiet, outTo, errTo});
  }

  std::vector<std::size_t> exitJumps_;
};

/// Replaces every `{key}` of `line` by its value; unknown placeholders stay as written.
std::string fill(const std::string& line, const std::vector<std::pair<std::string_view, std::string>>& values) {
  std::string r;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '{') {
      const auto close = line.find('}', i);
      if (close != std::string::npos) {
        const std::string_view key(line.data() + i + 1, close - i - 1);
        const auto v = std::find_if(values.begin(), values.end(), [&](const auto& kv) { return kv.first == key; });
        if (v != values.end()) {
          r += v->second;
          i = close;
          continue;
        }
      }
    }
    r.push_back(line[i]);
  }
  return r;
}

/// The lines one tool run writes: `lines` (a catalogue list) with placeholders filled, each on its stream
/// (busybox applets write errors as "APPLET: ..." on stderr; wget writes all its progress on stderr).
std::vector<PendingLine> toolLines(const ToolUse& use, const std::vector<std::string>& lines,
                                   const std::vector<std::pair<std::string_view, std::string>>& values) {
  static constexpr std::string_view names[] = {"nslookup", "wget", "nc", "curl"};
  const std::string prefix = std::string(names[static_cast<int>(use.tool)]) + ": ";
  std::vector<PendingLine> out;
  for (const auto& l : lines) {
    const bool error = l.rfind(prefix, 0) == 0;
    if (use.quiet && !error) continue;
    const bool toStderr = error || use.tool == Tool::Wget;
    const std::uint8_t to = toStderr ? use.errTo : use.outTo;
    if (to == 0) continue;
    out.push_back({fill(l, values), to == 2 ? LogStream::Stderr : LogStream::Stdout});
  }
  return out;
}

std::string fqdnOf(const std::string& host, const std::string& ns) {
  if (host.find('.') == std::string::npos) return host + "." + ns + ".svc.cluster.local";
  if (host.size() > 18 && host.compare(host.size() - 18, 18, ".svc.cluster.local") == 0) return host;
  if (std::count(host.begin(), host.end(), '.') == 1) return host + ".svc.cluster.local";
  return host;
}

ShellParse finishProgram(Compiler& c, std::string source, const ShellContext& ctx) {
  c.finish();
  std::vector<std::int64_t> mapped;
  mapped.reserve(c.services.size());
  for (const auto& s : c.services) mapped.push_back(ctx.serviceIndex(s));
  auto program = std::make_shared<ShellProgram>();
  if (ctx.text) {
    // The tools' messages, now that each Service's index (and so its address) is known.
    for (std::size_t k = 0; k < c.tools.size(); ++k) {
      const ToolUse& use = c.tools[k];
      const auto svc = static_cast<std::int32_t>(mapped[static_cast<std::size_t>(c.toolService[k])]);
      const std::optional<NetworkTool>& tool = use.tool == Tool::Nslookup ? ctx.nslookup : use.tool == Tool::Wget ? ctx.wget
                                               : use.tool == Tool::Nc       ? ctx.nc : std::optional<NetworkTool>{};
      if (!tool) continue;
      const std::vector<std::pair<std::string_view, std::string>> values = {
          {"name", use.host}, {"fqdn", fqdnOf(use.host, ctx.namespaceName)}, {"ip", serviceClusterIP(svc)},
          {"dnsIP", "10.96.0.10"}, {"port", use.port.empty() ? std::string("80") : use.port}};
      ShellOutput o;
      o.ok = c.addLines(toolLines(use, tool->success, values));
      if (use.tool == Tool::Nslookup) {
        o.noName = c.addLines(toolLines(use, tool->failure, values));
        o.refused = o.ok;  // the name resolves; nslookup connects to nothing
      } else {
        // Alternatives: [0] the name does not resolve, [1] nothing accepts the connection.
        const auto& f = tool->failure;
        o.noName = c.addLines(toolLines(use, f.empty() ? f : std::vector<std::string>{f[0]}, values));
        o.refused = c.addLines(toolLines(use, f.size() < 2 ? std::vector<std::string>(f.begin(), f.end()) : std::vector<std::string>{f[1]}, values));
      }
      c.ops[use.op].out = static_cast<std::int32_t>(c.outputs.size());
      c.outputs.push_back(o);
    }
    program->lines.reserve(c.lines.size());
    for (const auto& l : c.lines) program->lines.push_back({ctx.text(l.text), l.stream});
    program->outputs = std::move(c.outputs);
  }
  program->ops = std::move(c.ops);
  for (auto& op : program->ops) {
    if (op.kind == ShellOp::Kind::Lookup || op.kind == ShellOp::Kind::Connect) {
      op.value = mapped[static_cast<std::size_t>(op.value)];
    }
    if (!ctx.text) op.out = -1;
  }
  program->source = std::move(source);
  ShellParse r;
  r.kind = ShellParse::Kind::Program;
  r.program = std::move(program);
  return r;
}

ShellParse notUnderstood(std::string message) {
  ShellParse r;
  r.kind = ShellParse::Kind::NotUnderstood;
  r.message = std::move(message);
  return r;
}

std::string joinArgv(const std::vector<std::string>& argv) {
  std::string s;
  for (const auto& a : argv) {
    if (!s.empty()) s += ' ';
    s += a;
  }
  return s;
}

}  // namespace

std::string serviceClusterIP(std::int32_t index) {
  const std::int32_t n = 16 + (index < 0 ? 0 : index);  // 10.96.0.1 is the API server, .10 the DNS
  return "10.96." + std::to_string(n / 250) + "." + std::to_string(1 + n % 250);
}

namespace {

ShellParse compileScriptWith(const std::string& script, const ShellContext& ctx, const std::string& shellName) {
  if (script.size() > kMaxScriptBytes) return notUnderstood("script longer than 64 KiB");
  NodeP tree;
  bool sawHereDocument = false;
  try {
    tree = parseScript(script, sawHereDocument);
  } catch (const SyntaxError& e) {
    ShellParse r;
    r.kind = ShellParse::Kind::SyntaxError;
    r.message = shellName + ": syntax error: " + e.message;
    return r;
  } catch (const NotUnderstoodError& e) {
    return notUnderstood(e.message);
  }
  if (sawHereDocument) return notUnderstood("here-documents (<<)");
  Compiler c;
  c.commands = ctx.commands;
  c.shellName = shellName;
  try {
    c.compile(tree.get());
  } catch (const NotUnderstoodError& e) {
    return notUnderstood(e.message);
  }
  return finishProgram(c, script, ctx);
}

}  // namespace

ShellParse compileShellScript(const std::string& script,
                              const std::function<std::int32_t(const std::string&)>& serviceIndex,
                              const std::string& shellName) {
  ShellContext ctx;
  ctx.serviceIndex = serviceIndex;
  return compileScriptWith(script, ctx, shellName);
}

ShellParse compileContainerCommand(const std::vector<std::string>& command,
                                   const std::vector<std::string>& args,
                                   const std::function<std::int32_t(const std::string&)>& serviceIndex) {
  ShellContext ctx;
  ctx.serviceIndex = serviceIndex;
  return compileContainerCommand(command, args, ctx);
}

ShellParse compileContainerCommand(const std::vector<std::string>& command,
                                   const std::vector<std::string>& args, const ShellContext& ctx) {
  std::vector<std::string> argv = command;
  argv.insert(argv.end(), args.begin(), args.end());
  if (argv.empty()) return notUnderstood("no command");
  std::size_t i = 0;
  if (baseName(argv[0]) == "busybox" && argv.size() > 1) ++i;
  const std::string prog = baseName(argv[i]);
  if (prog == "sh" || prog == "bash" || prog == "ash" || prog == "dash") {
    bool cflag = false;
    ++i;
    for (; i < argv.size(); ++i) {
      const auto& a = argv[i];
      if (a == "--" || a == "-") {
        ++i;
        break;
      }
      if (a.empty() || (a[0] != '-' && a[0] != '+')) break;
      if (a[0] == '-' && a.find('c') != std::string::npos) cflag = true;
      if (a == "-o" || a == "+o") ++i;  // -o OPTION
    }
    if (!cflag) return notUnderstood("\"" + prog + "\" running a script file or standard input");
    if (i >= argv.size()) {
      ShellParse r;
      r.kind = ShellParse::Kind::SyntaxError;
      r.message = prog + ": -c requires an argument";
      return r;
    }
    return compileScriptWith(argv[i], ctx, prog);
  }
  // Exec form: the program runs as PID 1 with its argv taken literally.
  Compiler c;
  try {
    std::vector<std::string> rest(argv.begin() + static_cast<std::ptrdiff_t>(i), argv.end());
    c.simpleLiteral(rest);
  } catch (const NotUnderstoodError& e) {
    return notUnderstood(e.message);
  }
  return finishProgram(c, joinArgv(argv), ctx);
}

}  // namespace podsim::scenario
