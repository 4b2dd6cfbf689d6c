// models/scenario/shell.hpp: course-style container commands compiled into ShellPrograms.
//
// Owns the reading of a container's `command` + `args` as the kubelet passes them to the runtime
// (args appended to command) and, where that is `sh -c SCRIPT` (or bash/ash) or a bare known program
// (`sleep 3600`, `true`, `false`), their compilation into the ShellOps a simulated process runs.
// It parses the whole script first, as a real shell does, so a script busybox sh would reject is a
// syntax error (with busybox's message) even when it also names unknown programs.
// It does not know YAML, Services or the kubelet: Service names are interned through a callback.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "models/scenario/image_catalogue.hpp"
#include "models/scenario/scenario.hpp"

namespace podsim::scenario {

/// The outcome of compiling a container command.
struct ShellParse {
  enum class Kind {
    Program,        // `program` is set: the simulator can run this command
    SyntaxError,    // the shell rejects the script; `message` is busybox sh's (`sh: syntax error: ...`)
    NotUnderstood,  // valid, but it runs something the simulator does not model; `message` names it
  };
  Kind kind = Kind::NotUnderstood;
  std::shared_ptr<const ShellProgram> program;  // set only for Kind::Program
  std::string message;                          // empty for Kind::Program
};

/// What a compiled program writes, made at load time (ShellProgram::lines, ShellOp::out): `text` interns a
/// line into Scenario::logTexts and returns its index; when it is empty the program writes nothing (lint).
/// The tools are the image's own `nslookup`, `wget`, `nc` (the catalogue's `tools`, busybox:latest's when the
/// image has none); `namespaceName` makes the fully qualified names ({fqdn}: NAME.NAMESPACE.svc.cluster.local).
struct ShellContext {
  std::function<std::int32_t(const std::string&)> serviceIndex;
  std::function<std::int32_t(const std::string&)> text;
  std::optional<NetworkTool> nslookup, wget, nc;
  std::string namespaceName = "default";
  /// The programs on the image's PATH, sorted (the catalogue's `commands`, busybox's applets): a script's
  /// command that is none of them and no ash builtin gets ash's "sh: NAME: not found" on stderr and $? 127.
  /// Null (the image's programs are not known): such a command is NotUnderstood.
  const std::vector<std::string>* commands = nullptr;
};

/// The IP address podsim gives Service `index` (a ClusterIP of kubeadm's 10.96.0.0/12 range), for the
/// lines nslookup and wget print. Never throws except std::bad_alloc.
std::string serviceClusterIP(std::int32_t index);

/// Compiles `command` + `args` (appended, as the kubelet does) into a ShellProgram.
/// `serviceIndex` interns a Service name and returns its index; it is called only when the result is
/// Kind::Program, once per distinct Service the program names (nslookup, wget, curl, nc).
/// Both vectors empty gives Kind::NotUnderstood with message "no command". Work is linear in the
/// script length (scripts longer than 64 KiB or nested deeper than 64 levels are NotUnderstood).
/// Never throws on any input except what `serviceIndex` throws and std::bad_alloc.
ShellParse compileContainerCommand(const std::vector<std::string>& command,
                                   const std::vector<std::string>& args,
                                   const std::function<std::int32_t(const std::string&)>& serviceIndex);

/// As above, also making the lines the program writes (echo, printf, the tools' messages, the errors of
/// `sleep`, busybox's syntax errors are the loader's) from `ctx`.
ShellParse compileContainerCommand(const std::vector<std::string>& command,
                                   const std::vector<std::string>& args, const ShellContext& ctx);

/// Compiles one shell script (the SCRIPT of `sh -c SCRIPT`); same results as compileContainerCommand.
/// `shellName` is the program name used in syntax error messages ("sh", "bash").
ShellParse compileShellScript(const std::string& script,
                              const std::function<std::int32_t(const std::string&)>& serviceIndex,
                              const std::string& shellName = "sh");

}  // namespace podsim::scenario
