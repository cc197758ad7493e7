"""Small pages: listings come a few items at a time, with the operation's own token, as AWS may send them."""

from __future__ import annotations

import uuid

import pytest

from course import paging


@pytest.fixture
def glue_table(aws):
    glue = aws.client("glue")
    db, table = f"db_{uuid.uuid4().hex[:6]}", "t"
    glue.create_database(DatabaseInput={"Name": db})
    glue.create_table(DatabaseName=db, TableInput={"Name": table, "PartitionKeys": [{"Name": "dt", "Type": "string"}]})
    days = [f"2025-01-{d:02d}" for d in range(1, 8)]
    glue.batch_create_partition(DatabaseName=db, TableName=table, PartitionInputList=[{"Values": [d]} for d in days])
    return glue, db, table, days


def test_one_call_gets_one_small_page_and_the_token_gets_the_rest(glue_table):
    """Does a listing of 7 come 3 at a time, with NextToken, ending without one?"""
    glue, db, table, days = glue_table
    seen, pages, token = [], 0, None
    with paging.small_pages(3):
        while True:
            kwargs = {"NextToken": token} if token else {}
            page = glue.get_partitions(DatabaseName=db, TableName=table, **kwargs)
            pages += 1
            seen += [p["Values"][0] for p in page["Partitions"]]
            assert len(page["Partitions"]) <= 3
            token = page.get("NextToken")
            if not token:
                break
    assert pages == 3 and sorted(seen) == days


def test_paginators_and_the_more_results_flag_work_unchanged(aws):
    """Does a paginator follow the tokens, and does S3's IsTruncated say when more is left?"""
    s3 = aws.client("s3")
    bucket = f"b-{uuid.uuid4().hex[:8]}"
    s3.create_bucket(Bucket=bucket)
    for n in range(5):
        s3.put_object(Bucket=bucket, Key=f"k{n}", Body=b"x")
    with paging.small_pages(2):
        first = s3.list_objects_v2(Bucket=bucket)
        keys = [
            o["Key"] for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket) for o in page["Contents"]
        ]
    assert first["IsTruncated"] is True and first["KeyCount"] and len(first["Contents"]) == 2
    assert keys == [f"k{n}" for n in range(5)]


def test_dynamodb_pages_with_its_key_token(aws):
    """Does a DynamoDB scan page with LastEvaluatedKey / ExclusiveStartKey and Count per page?"""
    ddb = aws.client("dynamodb")
    name = f"t-{uuid.uuid4().hex[:6]}"
    ddb.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    for n in range(5):
        ddb.put_item(TableName=name, Item={"pk": {"S": f"p{n}"}})
    items, start = [], None
    with paging.small_pages(2):
        while True:
            page = ddb.scan(TableName=name, **({"ExclusiveStartKey": start} if start else {}))
            assert page["Count"] == len(page["Items"]) <= 2
            items += page["Items"]
            start = page.get("LastEvaluatedKey")
            if not start:
                break
    assert sorted(i["pk"]["S"] for i in items) == [f"p{n}" for n in range(5)]


def test_outside_the_block_listings_are_whole_and_stale_tokens_fail(glue_table):
    """After the block, is a listing whole again, and is an old token refused like an expired one?"""
    glue, db, table, days = glue_table
    with paging.small_pages(2):
        token = glue.get_partitions(DatabaseName=db, TableName=table)["NextToken"]
    assert len(glue.get_partitions(DatabaseName=db, TableName=table)["Partitions"]) == len(days)
    from botocore.exceptions import ClientError

    with pytest.raises(ClientError):
        glue.get_partitions(DatabaseName=db, TableName=table, NextToken=token)


def test_stream_reads_follow_the_next_shard_iterator(aws):
    """Does a Kinesis get_records return a few records at a time, the rest behind NextShardIterator?"""
    kin = aws.client("kinesis")
    name = f"s-{uuid.uuid4().hex[:6]}"
    kin.create_stream(StreamName=name, ShardCount=1)
    for n in range(5):
        kin.put_record(StreamName=name, Data=str(n).encode(), PartitionKey="k")
    shard = kin.describe_stream(StreamName=name)["StreamDescription"]["Shards"][0]["ShardId"]
    it = kin.get_shard_iterator(StreamName=name, ShardId=shard, ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    seen = []
    with paging.small_pages(2):
        for _ in range(10):
            page = kin.get_records(ShardIterator=it)
            assert len(page["Records"]) <= 2
            seen += [r["Data"].decode() for r in page["Records"]]
            if not page["Records"]:
                break
            it = page["NextShardIterator"]
    assert seen == ["0", "1", "2", "3", "4"]
