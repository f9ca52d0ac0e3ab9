"""The examples in the ingest modules' docstrings are part of the tests."""
import doctest
import importlib

import pytest

MODULES = ["clean", "lang", "ids", "textutil"]


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name):
    module = importlib.import_module(f"search.ingest.{name}")
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0
