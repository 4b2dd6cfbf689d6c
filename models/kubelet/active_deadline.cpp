// models/kubelet/active_deadline.cpp: everything is constexpr in the header; this unit only checks it
// compiles on its own.
#include "models/kubelet/active_deadline.hpp"
