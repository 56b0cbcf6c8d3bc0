"""The committed type stubs (python/seqmix/__init__.pyi) match the op table."""
import contextlib
import io
import pathlib

from seqmix import _stubgen

STUBS = pathlib.Path(__file__).resolve().parents[1] / "seqmix" / "__init__.pyi"


def test_stubs_up_to_date():
    text = io.StringIO()
    with contextlib.redirect_stdout(text):
        _stubgen.main()
    assert STUBS.read_text() == text.getvalue(), (
        "python/seqmix/__init__.pyi is stale: python -m seqmix._stubgen > python/seqmix/__init__.pyi"
    )


def test_stubs_parse():
    compile(STUBS.read_text(), str(STUBS), "exec")
