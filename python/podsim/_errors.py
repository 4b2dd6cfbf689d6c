"""podsim._errors: the exception raised for bad input (defined in Python so that it pickles).

Owns ScenarioError only; the C++ extension (python/src/core.cpp) raises it for every
``podsim::scenario::InputError`` of the loader and of overrides.
"""

from __future__ import annotations


class ScenarioError(ValueError):
    """Bad input: a scenario file, YAML string, dict or override that the loader rejects.

    A subclass of ``ValueError``. ``str(err)`` is the loader's whole message,
    ``file:line:col: field.path: detail``, in the words the Kubernetes API would use
    (e.g. ``spec.initContainers[1].restartPolicy: Unsupported value: "Sometimes"``).

    Attributes:
        file: the file the problem is in (``<string>`` for YAML text, ``<dict>`` for Python
            dicts, ``<override>`` for an override's path, ``<command line>``).
        line: 1-based line in that file (0 when the problem has no place, e.g. a missing file).
        column: 1-based column (0 when unknown).
        field_path: the field path, as the API spells it (``spec.containers[0].image``).
        detail: the message without the location prefix.
        errors: every error of the document, each a ScenarioError with its own place (the API server
            reports all field errors of an object at once); ``[self]``-like, one item, for a single error.
    """

    def __init__(self, message: str, file: str = "", line: int = 0, column: int = 0,
                 field_path: str = "", detail: str = "", errors: list | None = None) -> None:
        super().__init__(message)
        self.file = file
        self.line = line
        self.column = column
        self.field_path = field_path
        self.detail = detail
        self.errors = list(errors) if errors is not None else []

    def __reduce__(self):  # pickles with its attributes (Dask sends exceptions between processes)
        return (type(self), (str(self), self.file, self.line, self.column, self.field_path, self.detail,
                             self.errors))
