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
