"""Pure-function behaviour: tokenizer, embeddings, text model, data files, activation."""

import subprocess
import sys
import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course.bedrock_sim import chunking, data, embeddings, textmodel, tokens

WORDS_A = st.lists(st.text(alphabet="abcdefghijklm", min_size=4, max_size=9), min_size=2, max_size=6, unique=True)
WORDS_B = st.lists(st.text(alphabet="nopqrstuvwxyz", min_size=4, max_size=9), min_size=2, max_size=6, unique=True)


def test_tokenizer_rule():
    assert tokens.tokenize("Hello, world!") == ["Hello", ",", "world", "!"]
    assert tokens.count("") == 0
    assert tokens.truncate("one two three", 2) == ("one two", True)


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=200), st.sampled_from([256, 512, 1024]))
def test_embedding_deterministic(text, dimension):
    first = embeddings.embed(text, dimension)
    assert first == embeddings.embed(text, dimension)
    assert len(first) == dimension


@settings(max_examples=40, deadline=None)
@given(WORDS_A, WORDS_B, st.sampled_from([256, 1024]))
def test_shared_words_are_closer(query_words, other_words, dimension):
    """A document sharing the query's words is closer than one sharing none."""
    query = " ".join(query_words)
    related = " ".join(query_words + ["extra"])
    unrelated = " ".join(other_words)
    q = embeddings.embed(query, dimension)
    assert embeddings.cosine(q, embeddings.embed(related, dimension)) > embeddings.cosine(
        q, embeddings.embed(unrelated, dimension)
    )


@settings(max_examples=40, deadline=None)
@given(st.text(min_size=1, max_size=300), st.integers(min_value=1, max_value=50))
def test_text_model_deterministic_and_bounded(prompt, max_tokens):
    request = textmodel.Request(messages=[{"role": "user", "content": [{"text": prompt}]}], max_tokens=max_tokens)
    first = textmodel.generate(request)
    again = textmodel.generate(
        textmodel.Request(messages=[{"role": "user", "content": [{"text": prompt}]}], max_tokens=max_tokens)
    )
    assert first == again
    assert first.output_tokens == tokens.count(first.text) <= max_tokens


@settings(max_examples=30, deadline=None)
@given(st.text(alphabet="abc def.\n", max_size=400), st.integers(2, 30), st.integers(1, 99))
def test_fixed_chunks_are_slices_within_budget(text, max_tokens, overlap):
    config = {
        "chunkingStrategy": "FIXED_SIZE",
        "fixedSizeChunkingConfiguration": {"maxTokens": max_tokens, "overlapPercentage": overlap},
    }
    for piece in chunking.chunk(text, config):
        assert piece.text in text
        assert tokens.count(piece.text) <= max_tokens


def test_data_files_validate_and_errors_are_loud(tmp_path, monkeypatch):
    assert data.models()["models"]
    assert data.lexicon()["piiPatterns"]["EMAIL"]
    monkeypatch.setattr(data, "DATA_DIR", tmp_path)
    (tmp_path / "models.yaml").write_text("models: [{modelId: 'Bad Id'}]\ninferenceProfilePrefixes: []\n")
    with pytest.raises(data.DataFileError):
        data.load("models.yaml", data.MODELS_SCHEMA)


def test_activation_is_cheap_and_lazy():
    code = textwrap.dedent(
        """
        import sys, time
        t = time.perf_counter()
        import course.bedrock_sim as b
        b.activate(); b.activate()
        elapsed = time.perf_counter() - t
        heavy = [m for m in ("course.bedrock_sim.runtime", "course.bedrock_sim.data", "course.bedrock_sim.textmodel") if m in sys.modules]
        print(elapsed, heavy)
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", "import moto.core.botocore_stubber\n" + code],
        capture_output=True,
        text=True,
        check=True,
    )
    elapsed, heavy = out.stdout.split(" ", 1)
    assert float(elapsed) < 0.3
    assert heavy.strip() == "[]"
