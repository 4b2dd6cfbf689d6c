// models/scenario/shell_syntax.hpp: the syntax of a busybox ash script, for the shell compiler (shell.cpp).
//
// Owns: the words, the syntax tree and the parser's errors, and `parseScript`, busybox ash's grammar and
// messages (parser.c: list, andor, pipeline, command, simplecmd). Does not own: what the commands do (the
// compiler in shell.cpp), running anything. Internal to models/scenario/.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace podsim::scenario::shell_syntax {

/// A word after quote removal; expansions (`$x`, `$(...)`, backquotes) are kept as written.
struct Word {
  std::string text;
  bool quoted = false;     // some part was quoted or escaped (keywords are never quoted)
  bool expansion = false;  // contains a parameter, command or arithmetic expansion
};

struct SyntaxError {
  std::string message;  // without the "sh: " prefix
};
struct NotUnderstoodError {
  std::string message;
};

struct Node {
  enum class Type { Simple, Seq, And, Or, Not, Pipe, Background, While, Until, If, For, FuncDef, CaseStmt };
  Type type = Type::Seq;
  std::vector<Word> words;                    // Simple: the command words; For: the `in` words
  std::vector<std::unique_ptr<Node>> kids;   // Seq: items; And/Or: a, b; Not: a; loops: cond, body;
                                             // If: test, then, else (may be null); For: body
  bool forHasIn = false;
  // Simple: where its stdout and stderr go after its redirections: 1 stdout, 2 stderr, 0 nowhere (a file).
  std::uint8_t outTo = 1;
  std::uint8_t errTo = 2;
};
using NodeP = std::unique_ptr<Node>;

inline NodeP makeNode(Node::Type t) {
  auto n = std::make_unique<Node>();
  n->type = t;
  return n;
}

/// Parses a whole `-c` script as busybox ash does. `sawHereDocument` is set when it has a here-document
/// (not modelled). Throws SyntaxError with ash's words (without the "sh: " prefix) and NotUnderstoodError
/// for what the model leaves out (`case`, nesting deeper than 64).
NodeP parseScript(std::string_view script, bool& sawHereDocument);

}  // namespace podsim::scenario::shell_syntax
