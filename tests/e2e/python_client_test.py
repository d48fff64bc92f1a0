#!/usr/bin/python3
"""A client in another language, given only proto/, drives sentineld.

Generates Python stubs from proto/ with protoc and Debian's grpc_python_plugin,
starts `sentineld --insecure` on a free loopback port, then freezes an
account, checks it, and runs the two-person unfreeze, asserting exact values.

Usage: python_client_test.py SENTINELD PROTO_DIR
"""

import os
import select
import shutil
import subprocess
import sys
import tempfile
import unittest

SENTINELD, PROTO_DIR = sys.argv[1], sys.argv[2]
del sys.argv[1:3]

STUB_DIR = tempfile.mkdtemp(prefix="sentinel-py-")
PROTOS = [os.path.join("sentinel", "v1", name)
          for name in sorted(os.listdir(os.path.join(PROTO_DIR, "sentinel", "v1")))]
subprocess.run(
    ["protoc", f"-I{PROTO_DIR}", f"--python_out={STUB_DIR}",
     f"--grpc_python_out={STUB_DIR}",
     "--plugin=protoc-gen-grpc_python=/usr/bin/grpc_python_plugin", *PROTOS],
    check=True)
sys.path.insert(0, STUB_DIR)

import grpc  # noqa: E402
from sentinel.v1 import freeze_pb2, freeze_pb2_grpc  # noqa: E402

START_TIMEOUT_S = 30
CALL_TIMEOUT_S = 10


def principal(role, name):
    return (("x-sentinel-principal", f"spiffe://sentinel/role/{role}/user/{name}"),)


class SentineldFromPython(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.data_dir = tempfile.mkdtemp(prefix="sentinel-py-data-")
        cls.server = subprocess.Popen(
            [SENTINELD, "--insecure", "--listen=127.0.0.1:0",
             f"--data_dir={cls.data_dir}", "--cooling_off=1h"],
            stderr=subprocess.PIPE, text=True)
        address = None
        while address is None:
            ready, _, _ = select.select([cls.server.stderr], [], [], START_TIMEOUT_S)
            if not ready:
                raise RuntimeError("sentineld did not start in time")
            line = cls.server.stderr.readline()
            if not line:
                raise RuntimeError("sentineld exited before listening")
            if "listening on " in line:
                address = line.split("listening on ")[1].split()[0]
        cls.channel = grpc.insecure_channel(address)
        cls.stub = freeze_pb2_grpc.FreezeServiceStub(cls.channel)

    @classmethod
    def tearDownClass(cls):
        cls.channel.close()
        cls.server.terminate()
        cls.server.wait(timeout=30)
        shutil.rmtree(cls.data_dir, ignore_errors=True)
        shutil.rmtree(STUB_DIR, ignore_errors=True)

    def check_withdraw(self, account):
        response = self.stub.CheckAccounts(
            freeze_pb2.CheckAccountsRequest(
                account_ids=[account], action=freeze_pb2.FREEZE_SCOPE_WITHDRAW),
            metadata=principal("internal", "withdrawal-engine"),
            timeout=CALL_TIMEOUT_S)
        self.assertEqual(len(response.results), 1)
        return response.results[0]

    def test_freeze_check_and_two_person_unfreeze(self):
        record = self.stub.FreezeAccount(
            freeze_pb2.FreezeAccountRequest(
                account_id="py-acct-1",
                scopes=[freeze_pb2.FREEZE_SCOPE_WITHDRAW,
                        freeze_pb2.FREEZE_SCOPE_API_KEYS],
                reason="hijacked: password and 2FA changed from new device"),
            metadata=principal("agent", "alice"), timeout=CALL_TIMEOUT_S)
        self.assertEqual(record.account_id, "py-acct-1")
        self.assertEqual(record.state, freeze_pb2.FREEZE_STATE_ACTIVE)
        self.assertEqual(record.created_by, "agent/alice")
        self.assertEqual(list(record.scopes), [freeze_pb2.FREEZE_SCOPE_WITHDRAW,
                                               freeze_pb2.FREEZE_SCOPE_API_KEYS])

        denied = self.check_withdraw("py-acct-1")
        self.assertFalse(denied.allowed)
        self.assertEqual(denied.denial, freeze_pb2.DENIAL_REASON_FROZEN)
        self.assertEqual(denied.reason,
                         f"frozen for WITHDRAW by {record.freeze_id}")

        pending = self.stub.RequestUnfreeze(
            freeze_pb2.RequestUnfreezeRequest(
                account_id="py-acct-1", freeze_id=record.freeze_id,
                reason="owner verified on a video call"),
            metadata=principal("agent", "alice"), timeout=CALL_TIMEOUT_S)
        self.assertEqual(pending.state, freeze_pb2.UNFREEZE_REQUEST_STATE_PENDING)

        with self.assertRaises(grpc.RpcError) as self_approval:
            self.stub.ApproveUnfreeze(
                freeze_pb2.ApproveUnfreezeRequest(request_id=pending.request_id),
                metadata=principal("security", "alice"), timeout=CALL_TIMEOUT_S)
        self.assertEqual(self_approval.exception.code(),
                         grpc.StatusCode.PERMISSION_DENIED)

        lifted = self.stub.ApproveUnfreeze(
            freeze_pb2.ApproveUnfreezeRequest(request_id=pending.request_id),
            metadata=principal("security", "bob"), timeout=CALL_TIMEOUT_S)
        self.assertEqual(lifted.state, freeze_pb2.FREEZE_STATE_LIFTED)
        self.assertEqual(lifted.lifted_by, "security/bob")
        self.assertEqual(
            lifted.withdrawals_held_until.seconds - lifted.lifted_at.seconds, 3600)

        held = self.check_withdraw("py-acct-1")
        self.assertFalse(held.allowed)
        self.assertEqual(held.denial, freeze_pb2.DENIAL_REASON_COOLING_OFF)

    def test_health_and_reflection_are_served(self):
        # Raw bytes, so no extra Python packages are needed:
        # HealthCheckRequest{} -> HealthCheckResponse{status: SERVING (1)}.
        check = self.channel.unary_unary(
            "/grpc.health.v1.Health/Check",
            request_serializer=lambda raw: raw,
            response_deserializer=lambda raw: raw)
        self.assertEqual(check(b"", timeout=CALL_TIMEOUT_S), b"\x08\x01")
        # ServerReflectionRequest{list_services: ""} lists the services.
        reflect = self.channel.stream_stream(
            "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
            request_serializer=lambda raw: raw,
            response_deserializer=lambda raw: raw)
        responses = list(reflect(iter([b"\x3a\x00"]), timeout=CALL_TIMEOUT_S))
        self.assertEqual(len(responses), 1)
        self.assertIn(b"sentinel.v1.FreezeService", responses[0])
        self.assertIn(b"grpc.health.v1.Health", responses[0])

    def test_bad_input_names_the_field(self):
        with self.assertRaises(grpc.RpcError) as error:
            self.stub.FreezeAccount(
                freeze_pb2.FreezeAccountRequest(
                    account_id="py-acct-2", scopes=[freeze_pb2.FREEZE_SCOPE_LOGIN]),
                metadata=principal("agent", "alice"), timeout=CALL_TIMEOUT_S)
        self.assertEqual(error.exception.code(), grpc.StatusCode.INVALID_ARGUMENT)
        self.assertEqual(error.exception.details(), "reason: required")


if __name__ == "__main__":
    unittest.main(verbosity=2)
