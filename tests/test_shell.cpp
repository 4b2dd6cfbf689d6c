// tests/test_shell.cpp: course-style container commands compiled to ShellOps (models/scenario/shell.hpp).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "models/scenario/shell.hpp"

using podsim::scenario::compileContainerCommand;
using podsim::scenario::ShellOp;
using podsim::scenario::ShellParse;
namespace sim = podsim::sim;

namespace {

/// Compiles with a fresh service table; `services` receives the names in interning order.
struct Compiled {
  ShellParse result;
  std::vector<std::string> services;
};

Compiled compile(const std::vector<std::string>& command, const std::vector<std::string>& args = {}) {
  Compiled c;
  c.result = compileContainerCommand(command, args, [&c](const std::string& name) {
    for (std::size_t i = 0; i < c.services.size(); ++i) {
      if (c.services[i] == name) return static_cast<std::int32_t>(i);
    }
    c.services.push_back(name);
    return static_cast<std::int32_t>(c.services.size() - 1);
  });
  return c;
}

Compiled sh(const std::string& script) { return compile({"sh", "-c", script}); }

std::string render(const ShellOp& op) {
  switch (op.kind) {
    case ShellOp::Kind::Sleep: return "Sleep " + std::to_string(op.value / sim::kMillisecond) + "ms";
    case ShellOp::Kind::Exit: return "Exit " + std::to_string(op.value);
    case ShellOp::Kind::Status: return "Status " + std::to_string(op.value);
    case ShellOp::Kind::Lookup: return "Lookup " + std::to_string(op.value);
    case ShellOp::Kind::Connect: return "Connect " + std::to_string(op.value);
    case ShellOp::Kind::Jump: return "Jump " + std::to_string(op.value);
    case ShellOp::Kind::JumpIfZero: return "JumpIfZero " + std::to_string(op.value);
    case ShellOp::Kind::JumpIfNonZero: return "JumpIfNonZero " + std::to_string(op.value);
    case ShellOp::Kind::Forever: return "Forever";
  }
  return "?";
}

/// The program's ops as text, or the kind and message when it is not a program.
std::vector<std::string> ops(const Compiled& c) {
  if (c.result.kind == ShellParse::Kind::SyntaxError) return {"SyntaxError: " + c.result.message};
  if (c.result.kind == ShellParse::Kind::NotUnderstood) return {"NotUnderstood: " + c.result.message};
  std::vector<std::string> out;
  for (const auto& op : c.result.program->ops) out.push_back(render(op));
  return out;
}

using Ops = std::vector<std::string>;

}  // namespace

namespace doctest {
/// Shows op lists in failure messages.
template <>
struct StringMaker<std::vector<std::string>> {
  static String convert(const std::vector<std::string>& v) {
    std::string s = "{";
    for (const auto& x : v) s += (s.size() > 1 ? ", " : "") + x;
    return String((s + "}").c_str());
  }
};
}  // namespace doctest

TEST_CASE("until nslookup loops until the Service exists, then falls off the end") {
  const auto c = sh("until nslookup myservice; do echo waiting for myservice; sleep 2; done;");
  CHECK(ops(c) == Ops{"Lookup 0", "JumpIfZero 5", "Status 0", "Sleep 2000ms", "Jump 0"});
  CHECK(c.services == std::vector<std::string>{"myservice"});
  REQUIRE(c.result.program != nullptr);
  CHECK(c.result.program->source == "until nslookup myservice; do echo waiting for myservice; sleep 2; done;");
}

TEST_CASE("echo && sleep runs the sleep only when echo succeeded") {
  CHECK(ops(sh("echo The app is running! && sleep 3600")) == Ops{"Status 0", "JumpIfNonZero 3", "Sleep 3600000ms"});
  CHECK(ops(sh("echo \"The app is running!\" && sleep 3600")) == Ops{"Status 0", "JumpIfNonZero 3", "Sleep 3600000ms"});
}

TEST_CASE("a || b runs b only when a failed") {
  CHECK(ops(sh("nslookup db || exit 1")) == Ops{"Lookup 0", "JumpIfZero 3", "Exit 1"});
}

TEST_CASE("while loops while the test succeeds and leaves status 0") {
  CHECK(ops(sh("while nc -z db 5432; do sleep 1; done")) ==
        Ops{"Connect 0", "JumpIfNonZero 4", "Sleep 1000ms", "Jump 0", "Status 0"});
}

TEST_CASE("if then else compiles to a test and two branches") {
  CHECK(ops(sh("if nslookup db; then sleep 1; else exit 3; fi")) ==
        Ops{"Lookup 0", "JumpIfNonZero 4", "Sleep 1000ms", "Jump 5", "Exit 3"});
  CHECK(ops(sh("if false; then exit 1; fi")) == Ops{"Status 1", "JumpIfNonZero 4", "Exit 1", "Jump 5", "Status 0"});
}

TEST_CASE("exit without a code exits with the last status") {
  CHECK(ops(sh("false; exit; sleep 5")) == Ops{"Status 1", "Jump 3", "Sleep 5000ms"});
  CHECK(ops(sh("exit 300")) == Ops{"Exit 44"});
}

TEST_CASE("A syntax error outranks an unknown command, as the shell parses the whole string first") {
  CHECK(ops(sh("git clone x ; done;")) == Ops{"SyntaxError: sh: syntax error: unexpected \"done\""});
  // The course manifest's placeholder `<some-repository...>` is a redirection to busybox, so the first
  // error it meets is the `;` where the file name of `>` should be.
  CHECK(ops(sh("git clone <some-repository-that-will-be-used-by-application> ; done;")) ==
        Ops{"SyntaxError: sh: syntax error: unexpected \";\""});
}

TEST_CASE("Syntax errors carry busybox sh's words") {
  CHECK(ops(sh("echo 'oops")) == Ops{"SyntaxError: sh: syntax error: unterminated quoted string"});
  CHECK(ops(sh("echo \"oops")) == Ops{"SyntaxError: sh: syntax error: unterminated quoted string"});
  CHECK(ops(sh("do sleep 1")) == Ops{"SyntaxError: sh: syntax error: unexpected \"do\""});
  CHECK(ops(sh("until true; do sleep 1")) ==
        Ops{"SyntaxError: sh: syntax error: unexpected end of file (expecting \"done\")"});
  CHECK(ops(sh("until true; sleep 1")) == Ops{"SyntaxError: sh: syntax error: unexpected end of file (expecting \"do\")"});
  CHECK(ops(sh("until true; do done")) == Ops{"SyntaxError: sh: syntax error: unexpected \"done\""});
  CHECK(ops(sh("true; ;")) == Ops{"SyntaxError: sh: syntax error: unexpected \";\""});
  CHECK(ops(sh("if true; then sleep 1; fi fi")) == Ops{"SyntaxError: sh: syntax error: unexpected \"fi\""});
  CHECK(ops(sh("sleep 1 )")) == Ops{"SyntaxError: sh: syntax error: unexpected \")\""});
  CHECK(ops(compile({"bash", "-c", "do"})) == Ops{"SyntaxError: bash: syntax error: unexpected \"do\""});
  CHECK(ops(compile({"sh", "-c"})) == Ops{"SyntaxError: sh: -c requires an argument"});
}

TEST_CASE("Commands podsim does not model are NotUnderstood, naming the command") {
  CHECK(ops(sh("cp /defaults/* /config/")) == Ops{"NotUnderstood: unknown command \"cp\""});
  CHECK(ops(sh("migrate --up")) == Ops{"NotUnderstood: unknown command \"migrate\""});
  CHECK(ops(sh("sleep 1; git clone x")) == Ops{"NotUnderstood: unknown command \"git\""});
  CHECK(ops(sh("cat /x | grep y")) == Ops{"NotUnderstood: pipelines (|)"});
  CHECK(ops(compile({"nginx", "-g", "daemon off;"})) == Ops{"NotUnderstood: unknown command \"nginx\""});
  CHECK(ops(compile({}, {})) == Ops{"NotUnderstood: no command"});
}

TEST_CASE("Services are interned only when the command is a program") {
  const auto c = sh("nslookup mydb; git pull");
  CHECK(c.result.kind == ShellParse::Kind::NotUnderstood);
  CHECK(c.services.empty());
}

TEST_CASE("nslookup names the Service by the first label of the host name") {
  const auto c = sh(
      "until nslookup mydb.$(cat /var/run/secrets/kubernetes.io/serviceaccount/namespace).svc.cluster.local; "
      "do echo waiting; sleep 2; done; nslookup myservice.default.svc.cluster.local; nslookup mydb");
  CHECK(ops(c) == Ops{"Lookup 0", "JumpIfZero 5", "Status 0", "Sleep 2000ms", "Jump 0", "Lookup 1", "Lookup 0"});
  CHECK(c.services == std::vector<std::string>{"mydb", "myservice"});
}

TEST_CASE("wget, curl and nc to a Service connect to it") {
  const auto c = sh(
      "until wget -qO- -T 2 http://web:8080/healthz; do sleep 1; done; curl -sf --max-time 3 https://api/; nc -z -w 2 mydb 5432");
  CHECK(ops(c) == Ops{"Connect 0", "JumpIfZero 4", "Sleep 1000ms", "Jump 0", "Connect 1", "Connect 2"});
  CHECK(c.services == std::vector<std::string>{"web", "api", "mydb"});
  CHECK(ops(sh("wget http://localhost:8080/")) ==
        Ops{"NotUnderstood: \"wget\" to localhost, which is not a Service name"});
}

TEST_CASE("Redirections and comments are skipped") {
  CHECK(ops(sh("nslookup mydb > /dev/null 2>&1 # quiet\nsleep 1 >>/tmp/log </dev/null")) ==
        Ops{"Lookup 0", "Sleep 1000ms"});
}

TEST_CASE("sleep takes decimals and busybox suffixes. sleep infinity and tail -f never end") {
  CHECK(ops(sh("sleep 0.5; sleep 1m; sleep 2h; sleep 1d; sleep 1 2")) ==
        Ops{"Sleep 500ms", "Sleep 60000ms", "Sleep 7200000ms", "Sleep 86400000ms", "Sleep 3000ms"});
  CHECK(ops(sh("sleep infinity")) == Ops{"Forever"});
  CHECK(ops(sh("tail -f /dev/null")) == Ops{"Forever"});
  CHECK(ops(sh("sleep abc")) == Ops{"Status 1"});
}

TEST_CASE("The exec form runs a known program without a shell") {
  CHECK(ops(compile({"sleep", "3600"})) == Ops{"Sleep 3600000ms"});
  CHECK(ops(compile({"sleep"}, {"infinity"})) == Ops{"Forever"});
  CHECK(ops(compile({"/bin/true"})) == Ops{"Status 0"});
  CHECK(ops(compile({"false"})) == Ops{"Status 1"});
  CHECK(compile({"sleep", "3600"}).result.program->source == "sleep 3600");
}

TEST_CASE("args are appended to command, and words after the script are $0 $1 and ignored") {
  CHECK(ops(compile({"/bin/sh", "-c"}, {"exit 4", "name", "arg1"})) == Ops{"Exit 4"});
  CHECK(ops(compile({"bash"}, {"-c", "sleep 2"})) == Ops{"Sleep 2000ms"});
  CHECK(ops(compile({"ash", "-ec", "exit 1"})) == Ops{"Exit 1"});
  CHECK(ops(compile({"sh", "/script.sh"})) == Ops{"NotUnderstood: \"sh\" running a script file or standard input"});
}

TEST_CASE("Nested loops and groups compile with correct jump targets") {
  CHECK(ops(sh("while true; do until nslookup a; do sleep 1; done; { sleep 2; }; done")) ==
        Ops{"Status 0", "JumpIfNonZero 8", "Lookup 0", "JumpIfZero 6", "Sleep 1000ms", "Jump 2", "Sleep 2000ms", "Jump 0",
            "Status 0"});
  CHECK(ops(sh("for i in 1 2; do sleep 1; done")) == Ops{"Status 0", "Sleep 1000ms", "Sleep 1000ms"});
  CHECK(ops(sh("! nslookup a")) == Ops{"Lookup 0", "JumpIfZero 4", "Status 0", "Jump 5", "Status 1"});
}

TEST_CASE("Hostile scripts end in bounded work without a crash") {
  CHECK(compile({"sh", "-c", std::string(200, '(')}).result.kind == ShellParse::Kind::NotUnderstood);
  CHECK(compile({"sh", "-c", std::string(100'000, 'a')}).result.kind == ShellParse::Kind::NotUnderstood);
  CHECK(compile({"sh", "-c", "$(((("}).result.kind == ShellParse::Kind::SyntaxError);
  CHECK(compile({"sh", "-c", "echo \\"}).result.kind == ShellParse::Kind::Program);
  CHECK(compile({"sh", "-c", ""}).result.kind == ShellParse::Kind::Program);
}

TEST_CASE("a command busybox does not have: ash's \"sh: NAME: not found\" on stderr and $? 127; unknown images keep it NotUnderstood (shell/ash.c shellexec)") {
  const std::vector<std::string> applets = {"cat", "echo", "nslookup", "sleep"};  // sorted, as the catalogue keeps them
  podsim::scenario::ShellContext ctx;
  ctx.serviceIndex = [](const std::string&) { return 0; };
  std::vector<std::string> texts;
  ctx.text = [&texts](const std::string& t) {
    texts.push_back(t);
    return static_cast<std::int32_t>(texts.size() - 1);
  };
  ctx.commands = &applets;
  struct Case {
    const char* name;
    std::vector<std::string> command;
    Ops expected;
    std::vector<std::string> lines;
  };
  const std::vector<Case> cases = {
      {"unknown program", {"sh", "-c", "foo"}, {"Status 127"}, {"sh: foo: not found"}},
      {"then exit with its status", {"sh", "-c", "git clone x || exit 1"}, {"Status 127", "JumpIfZero 3", "Exit 1"},
       {"sh: git: not found"}},
      {"the shell's name is the one invoked", {"ash", "-c", "python app.py"}, {"Status 127"}, {"ash: python: not found"}},
      {"an applet is not this", {"sh", "-c", "cat /etc/hostname"}, {"NotUnderstood: unknown command \"cat\""}, {}},
      {"a builtin is not this", {"sh", "-c", "cd /tmp"}, {"NotUnderstood: unknown command \"cd\""}, {}},
      {"a path is not this", {"sh", "-c", "/app/run"}, {"NotUnderstood: unknown command \"run\""}, {}},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    texts.clear();
    const ShellParse r = compileContainerCommand(c.command, {}, ctx);
    Compiled compiled{r, {}};
    CHECK(ops(compiled) == c.expected);
    CHECK(texts == c.lines);
    if (r.kind == ShellParse::Kind::Program && !c.lines.empty()) {
      CHECK(r.program->lines.at(0).stream == podsim::scenario::LogStream::Stderr);
    }
  }
  // Without the image's programs (an image the catalogue does not list), the same script is not modelled.
  ctx.commands = nullptr;
  CHECK(ops(Compiled{compileContainerCommand({"sh", "-c", "foo"}, {}, ctx), {}}) == Ops{"NotUnderstood: unknown command \"foo\""});
}
