// tests/main.cpp: the doctest runner for the whole C++ suite.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
