"""Check helpers turn every kind of failure into a message a learner can act on."""

from __future__ import annotations

import pytest

from course import checks


def test_expect_equal_says_expected_found_and_hint():
    """Does a failed comparison name what was expected, what was found and what to try?"""
    with pytest.raises(checks.CheckFailed) as info:
        checks.expect_equal("Enabled", "Suspended", "Versioning status", hint="call put_bucket_versioning")
    text = str(info.value)
    assert (
        "expected: 'Suspended'" in text
        and "found:    'Enabled'" in text
        and "try:      call put_bucket_versioning" in text
    )


def test_check_failed_is_an_assertion_error():
    """Does nbgrader count a failed check as a failed test (AssertionError)?"""
    assert issubclass(checks.CheckFailed, AssertionError)


def test_not_implemented_gets_a_plain_message():
    """Is the blank release's NotImplementedError explained, not dumped?"""

    def make_role():
        raise NotImplementedError()

    with pytest.raises(checks.CheckFailed, match="not written yet") as info:
        checks.call(make_role)
    assert "replace `raise NotImplementedError()`" in str(info.value)


def test_client_error_names_the_operation_and_code(aws):
    """Does a refused AWS call say which operation failed and with which code?"""

    def read(s3):
        return s3.get_object(Bucket="no-such-bucket-here", Key="k")

    with pytest.raises(checks.CheckFailed, match=r"GetObject: NoSuchBucket"):
        checks.call(read, aws.client("s3"))


def test_raw_moto_exception_is_explained():
    """Is a moto bug surfacing as a plain Python exception reported as such?"""
    moto_error = type("BackendCrash", (Exception,), {"__module__": "moto.s3.models"})

    def broken():
        raise moto_error("'NoneType' object is not subscriptable")

    with pytest.raises(checks.CheckFailed, match="the simulated AWS failed inside moto") as info:
        checks.call(broken)
    assert "unexpected shape" in str(info.value)


def test_param_validation_is_explained(aws):
    """Is a boto3 parameter mistake reported before any request is sent?"""
    with pytest.raises(checks.CheckFailed, match="boto3 rejected the request"), checks.step("creating the bucket"):
        aws.client("s3").create_bucket(Bucket="fine-name", NoSuchParameter=1)


def test_expect_client_error_accepts_the_right_code_and_rejects_success(aws):
    """Does expect_client_error pass on the expected code and fail when the call succeeds?"""
    s3 = aws.client("s3")
    assert (
        checks.expect_client_error("NoSuchBucket", lambda: s3.list_objects_v2(Bucket="nope-bucket"), "x")
        == "NoSuchBucket"
    )
    s3.create_bucket(Bucket="present-bucket")
    with pytest.raises(checks.CheckFailed, match="the call succeeded"):
        checks.expect_client_error("NoSuchBucket", lambda: s3.list_objects_v2(Bucket="present-bucket"), "should fail")


def test_calling_a_non_function_is_reported():
    """Does a test that receives a value instead of a function say so?"""
    with pytest.raises(checks.CheckFailed, match="should be a function"):
        checks.call(42)


def test_a_failed_check_shows_the_course_message_alone_in_ipython(capsys, monkeypatch):
    """In a notebook, does a failed check print its message (and how to get more), not a stack dump?"""
    from IPython.core.interactiveshell import InteractiveShell

    monkeypatch.delenv(checks.FULL_TRACEBACK_ENV, raising=False)
    shell = InteractiveShell.instance()
    try:
        shell.run_cell("from course import checks\nwith checks.step('reading the table'):\n    {}['Items']")
        short = capsys.readouterr().out
        checks.verbose(True)
        shell.run_cell("with checks.step('reading the table'):\n    {}['Items']")
        full = capsys.readouterr().out
    finally:
        checks.verbose(None)
        InteractiveShell.clear_instance()
    assert "Something went wrong while reading the table" in short and "KeyError: 'Items'" in short
    assert "checks.verbose(True)" in short
    assert "contextlib" not in short and "Traceback" not in short and len(short.splitlines()) <= 5, short
    assert "Traceback" in full and "contextlib" in full and "KeyError" in full


def test_the_environment_variable_asks_for_the_full_traceback(monkeypatch):
    """Does AIP_FULL_TRACEBACK=1 make IPython fall back to its own traceback (no _render_traceback_)?"""
    failure = checks.CheckFailed("x")
    monkeypatch.setenv(checks.FULL_TRACEBACK_ENV, "1")
    assert not hasattr(failure, "_render_traceback_")
    monkeypatch.setenv(checks.FULL_TRACEBACK_ENV, "0")
    assert failure._render_traceback_()[0].endswith("CheckFailed\x1b[0m: x")


def test_get_names_the_missing_key_or_the_wrong_type():
    """Does checks.get return the value, or say which key is missing or what was found instead of a dict?"""
    assert checks.get({"a": 1}, "a", "the result") == 1
    assert checks.get([5, 6], 1, "the list") == 6
    with pytest.raises(checks.CheckFailed, match=r"the result has no 'b'"):
        checks.get({"a": 1}, "b", "the result")
    with pytest.raises(checks.CheckFailed, match=r"the result should be a dict(.|\n)*found:    str: 'x'"):
        checks.get("x", "b", "the result")
    with pytest.raises(checks.CheckFailed, match=r"should be a list"):
        checks.get(None, 0, "the pages")


def test_read_turns_a_missing_resource_into_a_course_message(aws):
    """Does a test-side lookup of something the learner did not create say so, with a hint?"""
    glue = aws.client("glue")
    with pytest.raises(
        checks.CheckFailed, match=r"while reading the table you created:\n  AWS refused GetTable"
    ) as info:
        checks.read("the table you created", glue.get_table, DatabaseName="nodb", Name="t")
    assert "try:      create it with the names" in str(info.value)


def test_a_request_moto_does_not_implement_is_not_called_unfinished(aws):
    """Is moto's own NotImplementedError reported as the simulator's limit, not as a blank exercise?"""
    logs = aws.client("logs")
    logs.create_log_group(logGroupName="/g")

    def use_unimplemented():
        logs.associate_kms_key(logGroupName="/g", kmsKeyId="arn:aws:kms:us-east-1:123456789012:key/x")

    with pytest.raises(checks.CheckFailed, match="does not implement this request") as info:
        checks.call(use_unimplemented)
    assert "not written yet" not in str(info.value)
