#!/usr/bin/env python3
"""Reports a hacked account to Sentinel, then checks that it is frozen.

A standalone example for internal systems (login service, risk engine) that
detect an account takeover. Over mutual TLS it:

1. calls IncidentService.ReportIncident (category ACCOUNT_TAKEOVER, channel
   INTERNAL_DETECTION, with an idempotency key so a retry never files a second
   incident). Triage makes it P0 and the server freezes withdrawals, transfers
   out and API keys before it replies;
2. calls FreezeService.CheckAccounts for a withdrawal, as the withdrawal engine
   would before moving money;
3. calls FreezeService.GetFreezeState and prints the account's frozen scopes.

Exit status: 0 when the account is frozen for withdrawals, 1 when it is not
(for example the protective freeze failed), 2 when a call fails.

Who the caller is comes from the client certificate (its URI SAN
spiffe://sentinel/role/<role>/user/<name>); the role must be allowed to report
incidents (agent, security, internal or admin). Generate the stubs first with
generate_stubs.sh (see README.md).

Example:
  ./report_hacked_account.py --target=sentinel.example:7443 \
      --ca=ca.pem --cert=client-internal.pem --key=client-internal.key \
      --account=acct-42
"""

import argparse
import os
import sys
import time
import uuid

sys.path.insert(0, os.environ.get(
    "SENTINEL_PYTHON_STUBS",
    os.path.join(os.path.dirname(os.path.abspath(__file__)), "generated")))

import grpc  # noqa: E402  (Debian: python3-grpcio)
from sentinel.v1 import freeze_pb2, freeze_pb2_grpc  # noqa: E402
from sentinel.v1 import incident_pb2, incident_pb2_grpc  # noqa: E402

# UNAVAILABLE is worth retrying with the same idempotency key: the request may
# not have reached the server, or its reply may have been lost. The key makes
# a retry of a report that did arrive return the same incident.
ATTEMPTS = 3
RETRY_DELAY_S = 0.5


def parse_args():
    parser = argparse.ArgumentParser(
        description="Report a hacked account to Sentinel and check the freeze.")
    parser.add_argument("--target", required=True,
                        help="host:port of IncidentService (sentineld or "
                             "sentinel-intake)")
    parser.add_argument("--freeze_target",
                        help="host:port of FreezeService (sentinel-freeze in "
                             "the four-process deployment); default --target")
    parser.add_argument("--ca", required=True,
                        help="PEM CA certificate that signed the server's")
    parser.add_argument("--cert", required=True,
                        help="PEM client certificate (its URI SAN names you)")
    parser.add_argument("--key", required=True,
                        help="PEM private key of --cert")
    parser.add_argument("--account", required=True,
                        help="the hacked account's id")
    parser.add_argument("--description",
                        default="account takeover detected: password and 2FA "
                                "changed from an unknown device",
                        help="what was detected (secrets are redacted)")
    parser.add_argument("--idempotency_key",
                        help="key that makes retries safe; default: a new "
                             "random key per run")
    parser.add_argument("--server_name",
                        help="name to expect in the server certificate, when "
                             "it differs from the target's host")
    parser.add_argument("--timeout", type=float, default=10.0,
                        help="seconds allowed for each call")
    return parser.parse_args()


def read(path):
    with open(path, "rb") as f:
        return f.read()


def open_channel(target, credentials, server_name):
    options = []
    if server_name:
        options.append(("grpc.ssl_target_name_override", server_name))
    return grpc.secure_channel(target, credentials, options=options)


def report(incidents, args, key):
    request = incident_pb2.ReportIncidentRequest(
        account_id=args.account,
        category=incident_pb2.INCIDENT_CATEGORY_ACCOUNT_TAKEOVER,
        channel=incident_pb2.CHANNEL_INTERNAL_DETECTION,
        description=args.description,
        idempotency_key=key)
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return incidents.ReportIncident(request, timeout=args.timeout)
        except grpc.RpcError as error:
            if (error.code() != grpc.StatusCode.UNAVAILABLE
                    or attempt == ATTEMPTS):
                raise
            print(f"retrying ReportIncident after UNAVAILABLE: "
                  f"{error.details()}", file=sys.stderr)
            time.sleep(RETRY_DELAY_S * attempt)
    raise AssertionError("unreachable")


def main():
    args = parse_args()
    credentials = grpc.ssl_channel_credentials(
        root_certificates=read(args.ca), private_key=read(args.key),
        certificate_chain=read(args.cert))
    key = args.idempotency_key or f"report-hacked-{uuid.uuid4().hex}"

    intake_channel = open_channel(args.target, credentials, args.server_name)
    freeze_target = args.freeze_target or args.target
    freeze_channel = (intake_channel if freeze_target == args.target else
                      open_channel(freeze_target, credentials,
                                   args.server_name))
    try:
        incident = report(incident_pb2_grpc.IncidentServiceStub(intake_channel),
                          args, key)
        print(f"incident_id: {incident.incident_id}")
        print(f"priority: {incident_pb2.Priority.Name(incident.priority)}")
        print(f"protective_freeze_id: {incident.protective_freeze_id}")
        if incident.freeze_failed:
            print(f"protective freeze failed: {incident.freeze_error}",
                  file=sys.stderr)

        freezes = freeze_pb2_grpc.FreezeServiceStub(freeze_channel)
        check = freezes.CheckAccounts(
            freeze_pb2.CheckAccountsRequest(
                account_ids=[args.account],
                action=freeze_pb2.FREEZE_SCOPE_WITHDRAW),
            timeout=args.timeout).results[0]
        if check.allowed:
            print("withdraw: allowed")
        else:
            print(f"withdraw: denied ({check.reason})")

        state = freezes.GetFreezeState(
            freeze_pb2.GetFreezeStateRequest(account_id=args.account),
            timeout=args.timeout)
        scopes = ", ".join(freeze_pb2.FreezeScope.Name(scope)
                           for scope in state.effective_scopes)
        freeze_ids = ", ".join(record.freeze_id
                               for record in state.active_freezes)
    except grpc.RpcError as error:
        print(f"call failed: {error.code().name}: {error.details()}",
              file=sys.stderr)
        return 2
    finally:
        if freeze_channel is not intake_channel:
            freeze_channel.close()
        intake_channel.close()

    if check.allowed or not state.active_freezes:
        print(f"account {args.account} is NOT frozen", file=sys.stderr)
        return 1
    print(f"account {args.account} is frozen: {scopes} (active freezes: "
          f"{freeze_ids})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
