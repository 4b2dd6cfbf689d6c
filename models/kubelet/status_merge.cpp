// models/kubelet/status_merge.cpp: everything is constexpr in the header; this unit only checks it
// compiles on its own.
#include "models/kubelet/status_merge.hpp"
