#!/usr/bin/python3
"""Checks deploy/ against the real binaries and against Sentinel's call graph.

Usage:
  check_manifests.py --deploy-dir DIR --binary NAME=PATH... [--fallback-binary PATH]
                     [--self-test]

--binary NAME=PATH (repeatable) names a binary whose flags (from
`PATH --helpfull`) the manifests of NAME may use: sentinel-audit,
sentinel-freeze, sentinel-intake, sentinel-trace, sentineld.
--fallback-binary PATH is for development before the four service binaries
exist: a service without --binary gets PATH's flags (sentineld's) plus the
per-service flags listed in ASSUMED_SERVICE_FLAGS, and a NOTE says so.
--self-test first checks DIR, then checks deliberately broken copies of it
in a temporary folder and fails unless each one is caught with the expected
message, so that the check cannot pass by checking nothing.

What is checked (each problem names the file, the service and the detail):
- every YAML file under DIR parses;
- Kubernetes StatefulSet args, Compose commands, systemd ExecStart lines and
  the flag files they load use only flags the binary accepts;
- --listen / --health_listen ports match containerPort, Service ports, probe
  ports, Compose ports and health checks; probes use the health port and a
  health service name the binary serves ("" or its own sentinel.v1 service);
- each peer address flag (--freeze_address, --audit_address) names a
  Service / Compose service / systemd unit that runs that binary on that
  port, and each service sets exactly the peer flags of the calls it makes;
- NetworkPolicies (default deny) allow exactly the calls in EXPECTED_CALLS
  between the services, in both the ingress and the egress direction, plus
  clients to every main port, probes to every health port and DNS;
- mutual TLS everywhere, non-root, read-only root file system, a grace
  period longer than the 10 s SIGTERM drain, a data volume per service.
"""

import argparse
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

import yaml  # Debian: python3-yaml

SERVICES = ("sentinel-audit", "sentinel-freeze", "sentinel-intake",
            "sentinel-trace")
BINARIES = SERVICES + ("sentineld",)
# (caller, callee): the only calls allowed between the services.
EXPECTED_CALLS = frozenset({
    ("sentinel-intake", "sentinel-freeze"),
    ("sentinel-trace", "sentinel-freeze"),
    ("sentinel-intake", "sentinel-audit"),
    ("sentinel-freeze", "sentinel-audit"),
    ("sentinel-trace", "sentinel-audit"),
})
# The peer address flags and the service each must point at.
PEER_ADDRESS_FLAGS = {"freeze_address": "sentinel-freeze",
                      "audit_address": "sentinel-audit"}
PEER_TLS_FLAGS = ("peer_cert", "peer_key", "peer_ca")
SERVER_TLS_FLAGS = ("tls_cert", "tls_key", "tls_client_ca")
HEALTH_SERVICE = {
    "sentinel-audit": "sentinel.v1.AuditService",
    "sentinel-freeze": "sentinel.v1.FreezeService",
    "sentinel-intake": "sentinel.v1.IncidentService",
    "sentinel-trace": "sentinel.v1.TraceService",
}
# Seconds a server may take to drain after SIGTERM; the orchestrator must wait
# longer than that before it kills.
DRAIN_SECONDS = 10
# Development only (--fallback-binary): the flags the service binaries add to
# sentineld's, as specified for them.
ASSUMED_SERVICE_FLAGS = {
    "sentinel-audit": {"health_listen", "tls_dir"},
    "sentinel-freeze": {"health_listen", "tls_dir", "audit_address",
                        *PEER_TLS_FLAGS},
    "sentinel-intake": {"health_listen", "tls_dir", "freeze_address",
                        "audit_address", *PEER_TLS_FLAGS},
    "sentinel-trace": {"health_listen", "tls_dir", "freeze_address",
                       "audit_address", *PEER_TLS_FLAGS},
    "sentineld": set(),
}
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
WILDCARD_HOSTS = {"0.0.0.0", "::", "[::]", ""}


# ---------------------------------------------------------------- basics ---

class Problems:
    def __init__(self):
        self.items = []

    def add(self, file, service, message):
        self.items.append(f"{file}: {service}: {message}")


def flags_from_help(binary):
    """The flag names `binary --helpfull` lists (absl: `--name (text)`)."""
    try:
        result = subprocess.run([binary, "--helpfull"], capture_output=True,
                                text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise SystemExit(f"check_manifests: cannot run {binary} --helpfull: "
                         f"{error}")
    names = set(re.findall(r"^\s*--([A-Za-z_][A-Za-z0-9_]*) \(",
                           result.stdout + result.stderr, re.MULTILINE))
    if "listen" not in names or "flagfile" not in names:
        raise SystemExit(f"check_manifests: {binary} --helpfull lists no "
                         f"--listen/--flagfile; is it a Sentinel server?")
    return names


def parse_flag_args(args, where, service, problems):
    """[(name, value or None)] from `--name=value` / `--name` arguments."""
    flags = []
    for arg in args:
        match = re.fullmatch(r"--?([A-Za-z_][A-Za-z0-9_]*)(?:=(.*))?", arg,
                             re.DOTALL)
        if not match:
            problems.add(where, service,
                         f"argument {arg!r} is not of the form --flag=value")
            continue
        flags.append((match.group(1), match.group(2)))
    return flags


def read_flagfile(path, problems, service):
    """Flags of an absl flag file: `--flag=value` lines, `#` comments."""
    try:
        with open(path) as f:
            lines = f.read().splitlines()
    except OSError as error:
        problems.add(path, service, f"cannot read the flag file: {error}")
        return []
    args = []
    for number, line in enumerate(lines, 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if not line.startswith("-"):
            problems.add(f"{path}:{number}", service,
                         f"absl rejects the line {line!r} (not a --flag)")
            continue
        args.append(line)
    return parse_flag_args(args, path, service, problems)


def check_known_flags(flags, known, where, service, problems):
    for name, _ in flags:
        if name in known or (name.startswith("no") and name[2:] in known):
            continue
        problems.add(where, service,
                     f"unknown flag --{name} ({service} --helpfull does not "
                     f"list it)")


def flag(flags, name):
    values = [value for key, value in flags if key == name]
    return values[-1] if values else None


def split_address(text):
    """(host, port) of host:port or [v6]:port; None if malformed."""
    if text is None:
        return None
    match = re.fullmatch(r"(\[[^\]]*\]|[^:]*):(\d+)", text)
    if not match:
        return None
    return match.group(1), int(match.group(2))


def check_tls_flags(flags, service, where, problems):
    if any(name == "insecure" and value in (None, "true", "1")
           for name, value in flags):
        problems.add(where, service, "--insecure: mutual TLS is required")
    for name in SERVER_TLS_FLAGS:
        if not flag(flags, name):
            problems.add(where, service, f"--{name} is not set (mutual TLS "
                         "with real certificates is required)")


def check_peer_flags(flags, service, where, problems):
    """The service sets exactly the address flags of the calls it makes."""
    if service not in SERVICES:
        return
    wanted = {callee for caller, callee in EXPECTED_CALLS if caller == service}
    for name, callee in PEER_ADDRESS_FLAGS.items():
        if callee in wanted and not flag(flags, name):
            problems.add(where, service, f"--{name} is not set, but "
                         f"{service} calls {callee}")
        if callee not in wanted and flag(flags, name):
            problems.add(where, service, f"--{name} is set, but {service} "
                         f"may not call {callee}")
    if wanted:
        for name in PEER_TLS_FLAGS:
            if not flag(flags, name):
                problems.add(where, service, f"--{name} is not set, but "
                             f"{service} calls peers over mutual TLS")


def duration_seconds(text):
    """Seconds of "15", "15s", "1min 30s", "2m"; None if unparsable."""
    text = str(text).strip()
    if re.fullmatch(r"\d+", text):
        return int(text)
    units = {"ms": 0.001, "s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600}
    total = 0.0
    parts = re.findall(r"(\d+(?:\.\d+)?)\s*([a-z]+)", text)
    if not parts or "".join(f"{n}{u}" for n, u in parts) != text.replace(" ", ""):
        return None
    for number, unit in parts:
        if unit not in units:
            return None
        total += float(number) * units[unit]
    return total


def load_yaml_files(deploy_dir, problems):
    """{path: [documents]} for every *.yaml / *.yml under deploy_dir."""
    loaded = {}
    for root, _, files in os.walk(deploy_dir):
        for name in sorted(files):
            if not name.endswith((".yaml", ".yml")):
                continue
            path = os.path.join(root, name)
            try:
                with open(path) as f:
                    loaded[path] = [doc for doc in yaml.safe_load_all(f)
                                    if doc is not None]
            except (OSError, yaml.YAMLError) as error:
                problems.add(path, "-", f"does not parse as YAML: {error}")
    return loaded


# ------------------------------------------------------------ kubernetes ---

def selector_matches(match_labels, labels):
    return all(labels.get(key) == value
               for key, value in (match_labels or {}).items())


class Kubernetes:
    """The objects of deploy/kubernetes/*.yaml, by kind and name."""

    def __init__(self, documents_by_file):
        self.objects = []  # (file, object)
        for path, documents in documents_by_file.items():
            for document in documents:
                if isinstance(document, dict) and "kind" in document:
                    self.objects.append((path, document))

    def of_kind(self, kind):
        return [(path, obj) for path, obj in self.objects
                if obj.get("kind") == kind]

    def secret(self, name):
        for _, obj in self.of_kind("Secret"):
            if obj["metadata"]["name"] == name:
                return obj
        return None


def service_host_names(service_name, namespace):
    return {service_name, f"{service_name}.{namespace}",
            f"{service_name}.{namespace}.svc",
            f"{service_name}.{namespace}.svc.cluster.local"}


def container_port(container, port):
    """The containerPort number `port` (number or name) refers to, or None."""
    for entry in container.get("ports") or []:
        if port in (entry.get("containerPort"), entry.get("name")):
            return entry.get("containerPort")
    return None


def check_kubernetes(kube, flag_sets, problems):
    """Returns {binary: (file, pod labels, listen port, health port)}."""
    workloads = {}
    for path, sts in kube.of_kind("StatefulSet"):
        name = sts["metadata"]["name"]
        namespace = sts["metadata"].get("namespace", "default")
        spec = sts.get("spec") or {}
        pod = (spec.get("template") or {}).get("spec") or {}
        labels = ((spec.get("template") or {}).get("metadata") or {}).get(
            "labels") or {}
        containers = pod.get("containers") or []
        if len(containers) != 1:
            problems.add(path, name, "expected exactly one container")
            continue
        container = containers[0]
        command = list(container.get("command") or [])
        args = list(container.get("args") or [])
        binary = next((os.path.basename(word) for word in command
                       if os.path.basename(word) in BINARIES), None)
        if binary is None:
            problems.add(path, name, f"the container command {command} "
                         f"runs none of {', '.join(BINARIES)}")
            continue
        after = command[[os.path.basename(w) for w in command].index(binary)
                        + 1:]
        flags = parse_flag_args(after + args, path, binary, problems)
        check_known_flags(flags, flag_sets[binary], path, binary, problems)
        check_tls_flags(flags, binary, path, problems)
        check_peer_flags(flags, binary, path, problems)

        if spec.get("replicas", 1) != 1:
            problems.add(path, binary, "replicas must be 1: each replica "
                         "would own a separate database")

        listen = split_address(flag(flags, "listen"))
        health = split_address(flag(flags, "health_listen"))
        if listen is None:
            problems.add(path, binary, "--listen=host:port is not set")
            continue
        if health is None:
            problems.add(path, binary, "--health_listen=host:port is not set "
                         "(the kubelet's gRPC probes are plain text)")
            continue
        for what, (host, _) in (("--listen", listen),
                                ("--health_listen", health)):
            if host not in WILDCARD_HOSTS:
                problems.add(path, binary, f"{what} host {host} is not "
                             "reachable from other pods or the kubelet")
        for what, (_, port) in (("--listen", listen),
                                ("--health_listen", health)):
            if container_port(container, port) != port:
                problems.add(path, binary, f"{what} port {port} is not a "
                             "containerPort")
        workloads[binary] = (path, namespace, labels, listen[1], health[1],
                             flags)

        # Probes: the health port, a service name this binary serves.
        valid_names = {"", HEALTH_SERVICE.get(binary, "")}
        for probe_name in ("readinessProbe", "livenessProbe", "startupProbe"):
            probe = container.get(probe_name)
            if probe is None:
                if probe_name != "startupProbe":
                    problems.add(path, binary, f"no {probe_name}")
                continue
            grpc_probe = probe.get("grpc")
            if grpc_probe is None:
                problems.add(path, binary, f"{probe_name} is not a grpc probe")
                continue
            port = container_port(container, grpc_probe.get("port"))
            if port != health[1]:
                problems.add(path, binary, f"{probe_name} probes port "
                             f"{grpc_probe.get('port')}, not the health port "
                             f"{health[1]}")
            service_name = grpc_probe.get("service", "")
            if service_name not in valid_names:
                problems.add(path, binary, f"{probe_name} asks for health "
                             f"service {service_name!r}; {binary} serves "
                             f"{sorted(valid_names)}")

        # Hardening and shutdown.
        pod_security = pod.get("securityContext") or {}
        security = container.get("securityContext") or {}
        if not (security.get("runAsNonRoot") or
                pod_security.get("runAsNonRoot")):
            problems.add(path, binary, "runAsNonRoot is not true")
        if security.get("readOnlyRootFilesystem") is not True:
            problems.add(path, binary, "readOnlyRootFilesystem is not true")
        if security.get("allowPrivilegeEscalation") is not False:
            problems.add(path, binary, "allowPrivilegeEscalation is not false")
        grace = pod.get("terminationGracePeriodSeconds", 30)
        if not DRAIN_SECONDS < grace <= 3 * DRAIN_SECONDS:
            problems.add(path, binary, f"terminationGracePeriodSeconds "
                         f"{grace} does not fit the {DRAIN_SECONDS} s drain "
                         f"(want {DRAIN_SECONDS + 1}..{3 * DRAIN_SECONDS})")

        # Volumes: the database on a claim template, TLS files from Secrets.
        mounts = container.get("volumeMounts") or []
        volumes = {v["name"]: v for v in pod.get("volumes") or []}
        claims = {t["metadata"]["name"]
                  for t in spec.get("volumeClaimTemplates") or []}

        def mount_of(file_path):
            best = None
            for mount in mounts:
                prefix = mount["mountPath"].rstrip("/") + "/"
                if file_path.startswith(prefix) and (
                        best is None or
                        len(mount["mountPath"]) > len(best["mountPath"])):
                    best = mount
            return best

        data_dir = flag(flags, "data_dir") or ""
        data_mount = mount_of(data_dir.rstrip("/") + "/x")
        if data_mount is None or data_mount["name"] not in claims:
            problems.add(path, binary, f"--data_dir={data_dir} is not on a "
                         "volumeClaimTemplates volume")
        env = {e["name"]: e.get("value") for e in container.get("env") or []}
        tls_source, tls_dir = env.get("SENTINEL_TLS_SOURCE"), env.get(
            "SENTINEL_TLS_DIR", "/run/sentinel/tls")
        for name in SERVER_TLS_FLAGS + PEER_TLS_FLAGS:
            value = flag(flags, name)
            if not value:
                continue
            source = value
            if tls_source and value.startswith(tls_dir.rstrip("/") + "/"):
                source = tls_source.rstrip("/") + value[len(tls_dir.rstrip("/")):]
                copy_mount = mount_of(value)
                if copy_mount is None or "emptyDir" not in volumes.get(
                        copy_mount["name"], {}):
                    problems.add(path, binary, f"{tls_dir} (where "
                                 "sentinel-entrypoint copies the keys) is not "
                                 "on an emptyDir volume")
            mount = mount_of(source)
            volume = volumes.get(mount["name"]) if mount else None
            if volume is None or "secret" not in volume:
                problems.add(path, binary, f"--{name}={value} does not come "
                             "from a Secret volume")
                continue
            secret_name = volume["secret"].get("secretName")
            secret = kube.secret(secret_name)
            key = source[len(mount["mountPath"].rstrip("/")) + 1:]
            if secret is None:
                problems.add(path, binary, f"Secret {secret_name} (for "
                             f"--{name}) is not defined")
            elif key not in {**(secret.get("data") or {}),
                             **(secret.get("stringData") or {})}:
                problems.add(path, binary, f"Secret {secret_name} has no key "
                             f"{key} (for --{name})")

        # The StatefulSet's headless Service.
        governing = [obj for _, obj in kube.of_kind("Service")
                     if obj["metadata"]["name"] == spec.get("serviceName")]
        if not governing or (governing[0].get("spec") or {}).get(
                "clusterIP") != "None":
            problems.add(path, binary, f"serviceName {spec.get('serviceName')}"
                         " is not a headless Service")

    check_kubernetes_services(kube, workloads, problems)
    for binary in SERVICES:
        if binary not in workloads:
            problems.add("kubernetes", binary, "no StatefulSet runs it")
    # Peer addresses: a Service in front of the right pods, on the right port.
    for binary, (path, namespace, _, _, _, flags) in workloads.items():
        for flag_name, callee in PEER_ADDRESS_FLAGS.items():
            address = split_address(flag(flags, flag_name))
            if flag(flags, flag_name) is None:
                continue
            if address is None:
                problems.add(path, binary, f"--{flag_name} is not host:port")
                continue
            host, port = address
            matches = [obj for _, obj in kube.of_kind("Service")
                       if host in service_host_names(
                           obj["metadata"]["name"],
                           obj["metadata"].get("namespace", namespace))]
            if not matches:
                problems.add(path, binary, f"--{flag_name}={host}:{port}: no "
                             f"Service named {host}")
                continue
            service = matches[0]
            if callee not in workloads or not selector_matches(
                    (service.get("spec") or {}).get("selector"),
                    workloads[callee][2]):
                problems.add(path, binary, f"--{flag_name}: Service "
                             f"{service['metadata']['name']} does not select "
                             f"the {callee} pods")
            if port not in [p.get("port") for p in
                            (service.get("spec") or {}).get("ports") or []]:
                problems.add(path, binary, f"--{flag_name}: Service "
                             f"{service['metadata']['name']} has no port "
                             f"{port}")
    check_network_policies(kube, workloads, problems)
    return workloads


def check_kubernetes_services(kube, workloads, problems):
    """Every Service's ports reach a workload's main port; each workload has a
    ClusterIP Service on its --listen port."""
    has_cluster_ip = set()
    for path, service in kube.of_kind("Service"):
        name = service["metadata"]["name"]
        spec = service.get("spec") or {}
        targets = [binary for binary, (_, _, labels, *_) in workloads.items()
                   if selector_matches(spec.get("selector"), labels)]
        if not targets:
            problems.add(path, name, "the Service selects no Sentinel pods")
            continue
        for binary in targets:
            sts_path = workloads[binary][0]
            listen_port = workloads[binary][3]
            container = next(
                obj for _, obj in kube.of_kind("StatefulSet")
                if selector_matches(obj["spec"]["selector"]["matchLabels"],
                                    workloads[binary][2])
            )["spec"]["template"]["spec"]["containers"][0]
            for port in spec.get("ports") or []:
                target = container_port(container,
                                        port.get("targetPort", port["port"]))
                if target != listen_port:
                    problems.add(path, name, f"port {port.get('port')} "
                                 f"reaches container port {target}, not "
                                 f"{binary}'s --listen port {listen_port} "
                                 f"({sts_path})")
                elif (port.get("port") == listen_port
                      and spec.get("clusterIP") != "None"):
                    has_cluster_ip.add(binary)
    for binary in workloads:
        if binary not in has_cluster_ip:
            problems.add(workloads[binary][0], binary, "no ClusterIP Service "
                         f"on its --listen port {workloads[binary][3]}")


def policy_peers(peers, namespace, workloads, problems, where):
    """(sentinel binaries, external names) that a from/to list selects."""
    binaries, external = set(), set()
    for peer in peers:
        pod_selector = peer.get("podSelector")
        ns_selector = peer.get("namespaceSelector")
        for selector in (pod_selector, ns_selector):
            if selector and selector.get("matchExpressions"):
                problems.add(where, "-", "matchExpressions are not supported "
                             "by this check; use matchLabels")
        if "ipBlock" in peer:
            external.add(f"ipBlock {peer['ipBlock'].get('cidr')}")
            continue
        own_namespace = ns_selector is None or (
            ns_selector.get("matchLabels") or {}) in (
                {}, {"kubernetes.io/metadata.name": namespace})
        if own_namespace:
            for binary, (_, ns, labels, *_) in workloads.items():
                if ns == namespace and selector_matches(
                        (pod_selector or {}).get("matchLabels"), labels):
                    binaries.add(binary)
            if ns_selector is not None and not ns_selector.get("matchLabels"):
                external.add("every namespace")
        else:
            external.add(f"namespaces {ns_selector.get('matchLabels')}")
    return binaries, external


def check_network_policies(kube, workloads, problems):
    policies = kube.of_kind("NetworkPolicy")
    if not policies:
        problems.add("kubernetes", "-", "no NetworkPolicy")
        return
    default_deny = False
    ingress_calls, egress_calls = set(), set()
    client_ingress, health_ingress = set(), set()
    for path, policy in policies:
        name = policy["metadata"]["name"]
        namespace = policy["metadata"].get("namespace", "default")
        spec = policy.get("spec") or {}
        selected = [b for b, (_, ns, labels, *_) in workloads.items()
                    if ns == namespace and selector_matches(
                        (spec.get("podSelector") or {}).get("matchLabels"),
                        labels)]
        types = spec.get("policyTypes") or (
            ["Ingress"] + (["Egress"] if "egress" in spec else []))
        if (not (spec.get("podSelector") or {}).get("matchLabels")
                and not spec.get("ingress") and not spec.get("egress")
                and set(types) == {"Ingress", "Egress"}):
            default_deny = True
        for rule in spec.get("ingress") or []:
            if "from" not in rule:
                problems.add(path, name, "an ingress rule without `from` "
                             "admits everyone")
                continue
            sources, external = policy_peers(rule["from"], namespace,
                                             workloads, problems, path)
            ports = [p.get("port") for p in rule.get("ports") or []]
            if not ports:
                problems.add(path, name, "an ingress rule without ports "
                             "opens every port")
                continue
            for target in selected:
                main, health = workloads[target][3], workloads[target][4]
                for port in ports:
                    for source in sources:
                        if port != main:
                            problems.add(path, name, f"allows {source} -> "
                                         f"{target} on port {port}, not its "
                                         f"main port {main}")
                        ingress_calls.add((source, target))
                    if external:
                        if port == main:
                            client_ingress.add(target)
                        elif port == health:
                            health_ingress.add(target)
                        else:
                            problems.add(path, name, f"opens port {port} of "
                                         f"{target} to {sorted(external)}")
        for rule in spec.get("egress") or []:
            if "to" not in rule:
                problems.add(path, name, "an egress rule without `to` "
                             "allows every destination")
                continue
            targets, external = policy_peers(rule["to"], namespace,
                                             workloads, problems, path)
            ports = [p.get("port") for p in rule.get("ports") or []]
            for source in selected:
                for target in targets:
                    if ports != [workloads[target][3]]:
                        problems.add(path, name, f"egress {source} -> "
                                     f"{target} on ports {ports or 'all'}, "
                                     f"not just {workloads[target][3]}")
                    egress_calls.add((source, target))
                if external and set(ports) != {53}:
                    problems.add(path, name, f"egress from {source} to "
                                 f"{sorted(external)} on ports {ports or 'all'}"
                                 "; only DNS (53) is expected")
    if not default_deny:
        problems.add("kubernetes", "-", "no default-deny NetworkPolicy "
                     "(podSelector {}, policyTypes Ingress and Egress)")
    for direction, calls in (("ingress", ingress_calls),
                             ("egress", egress_calls)):
        for caller, callee in sorted(EXPECTED_CALLS - calls):
            problems.add("kubernetes/NetworkPolicy", caller, f"{direction} "
                         f"does not allow the call {caller} -> {callee}")
        for caller, callee in sorted(calls - EXPECTED_CALLS):
            problems.add("kubernetes/NetworkPolicy", caller, f"{direction} "
                         f"allows {caller} -> {callee}, which is not one of "
                         "the allowed calls")
    for binary in sorted(set(workloads) - client_ingress):
        problems.add("kubernetes/NetworkPolicy", binary, "clients cannot "
                     "reach its main port")
    for binary in sorted(set(workloads) - health_ingress):
        problems.add("kubernetes/NetworkPolicy", binary, "the kubelet cannot "
                     "reach its health port")


# --------------------------------------------------------------- compose ---

def compose_port_targets(entries):
    targets = set()
    for entry in entries or []:
        if isinstance(entry, dict):
            targets.add(int(entry["target"]))
        else:
            targets.add(int(str(entry).split(":")[-1].split("/")[0]))
    return targets


def check_compose(path, document, flag_sets, problems):
    services = document.get("services") or {}
    top_volumes = set((document.get("volumes") or {}).keys())
    parsed = {}
    for name, service in services.items():
        command = service.get("command") or []
        if isinstance(command, str):
            command = shlex.split(command)
        entrypoint = service.get("entrypoint") or []
        if isinstance(entrypoint, str):
            entrypoint = shlex.split(entrypoint)
        words = list(entrypoint) + list(command)
        binary = next((os.path.basename(w) for w in words
                       if os.path.basename(w) in BINARIES), None)
        if binary is None:
            problems.add(path, name, f"the command {words} runs none of "
                         f"{', '.join(BINARIES)}")
            continue
        after = words[[os.path.basename(w) for w in words].index(binary) + 1:]
        flags = parse_flag_args(after, path, name, problems)
        check_known_flags(flags, flag_sets[binary], path, binary, problems)
        check_tls_flags(flags, binary, path, problems)
        check_peer_flags(flags, binary, path, problems)
        parsed[name] = (binary, flags, service)

    for name, (binary, flags, service) in parsed.items():
        listen = split_address(flag(flags, "listen"))
        health = split_address(flag(flags, "health_listen"))
        if listen is None:
            problems.add(path, name, "--listen=host:port is not set")
            continue
        if listen[1] not in compose_port_targets(service.get("ports")):
            problems.add(path, name, f"--listen port {listen[1]} is not "
                         "published in ports:")
        test = (service.get("healthcheck") or {}).get("test")
        if binary in SERVICES:
            if health is None or not test:
                problems.add(path, name, "needs --health_listen and a "
                             "healthcheck that probes it")
            else:
                words = test if isinstance(test, list) else shlex.split(test)
                addresses = [i for i, w in enumerate(words)
                             if split_address(w)]
                if not addresses or split_address(
                        words[addresses[0]])[1] != health[1]:
                    problems.add(path, name, f"the healthcheck {words} does "
                                 f"not probe the health port {health[1]}")
                else:
                    rest = words[addresses[0] + 1:]
                    asked = rest[0] if rest and not rest[0].startswith("-") \
                        else ""
                    if asked not in ("", HEALTH_SERVICE[binary]):
                        problems.add(path, name, f"the healthcheck asks for "
                                     f"health service {asked!r}; {binary} "
                                     f"serves '' and {HEALTH_SERVICE[binary]!r}")
        # Data on a named volume of its own; hardening; shutdown.
        data_dir = flag(flags, "data_dir") or ""
        mounts = [str(v).split(":") if not isinstance(v, dict) else
                  [v.get("source", ""), v.get("target", "")]
                  for v in service.get("volumes") or []]
        if not any(m[0] in top_volumes and data_dir.startswith(
                m[1].rstrip("/") + "/") for m in mounts if len(m) >= 2):
            problems.add(path, name, f"--data_dir={data_dir} is not on a "
                         "named volume")
        user = str(service.get("user", ""))
        if user.split(":")[0] in ("", "0", "root"):
            problems.add(path, name, "runs as root (set user:)")
        if service.get("read_only") is not True:
            problems.add(path, name, "read_only is not true")
        grace = duration_seconds(service.get("stop_grace_period", "10s"))
        if grace is None or grace <= DRAIN_SECONDS:
            problems.add(path, name, f"stop_grace_period must exceed the "
                         f"{DRAIN_SECONDS} s drain")
        # Peers: a Compose service running the callee, on its --listen port.
        for flag_name, callee in PEER_ADDRESS_FLAGS.items():
            value = flag(flags, flag_name)
            if value is None:
                continue
            address = split_address(value)
            targets = [n for n, (b, _, s) in parsed.items()
                       if address and (address[0] == n or address[0] ==
                                       s.get("container_name"))]
            if not targets:
                problems.add(path, name, f"--{flag_name}={value}: no Compose "
                             "service of that name")
                continue
            target_binary, target_flags, _ = parsed[targets[0]]
            if target_binary != callee:
                problems.add(path, name, f"--{flag_name}={value} points at "
                             f"{targets[0]}, which runs {target_binary}, not "
                             f"{callee}")
            target_listen = split_address(flag(target_flags, "listen"))
            if target_listen and target_listen[1] != address[1]:
                problems.add(path, name, f"--{flag_name}={value}: "
                             f"{targets[0]} listens on port {target_listen[1]}")
    data_volumes = {}
    for name, (_, _, service) in parsed.items():
        for volume in service.get("volumes") or []:
            source = str(volume).split(":")[0] if not isinstance(
                volume, dict) else volume.get("source")
            if source in top_volumes:
                if source in data_volumes:
                    problems.add(path, name, f"shares volume {source} with "
                                 f"{data_volumes[source]}")
                data_volumes[source] = name
    for binary in SERVICES:
        if binary not in [b for b, _, _ in parsed.values()]:
            problems.add(path, binary, "no Compose service runs it")


# --------------------------------------------------------------- systemd ---

def parse_unit(path):
    """[(section, key, value)] of a systemd unit file."""
    entries, section = [], None
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith(("#", ";")):
                continue
            if line.startswith("[") and line.endswith("]"):
                section = line[1:-1]
                continue
            key, _, value = line.partition("=")
            entries.append((section, key.strip(), value.strip()))
    return entries


def check_systemd(deploy_dir, flag_sets, problems):
    unit_dir = os.path.join(deploy_dir, "systemd")
    config_dir = os.path.join(deploy_dir, "config")
    units = {}
    referenced_flagfiles = set()
    for file_name in sorted(os.listdir(unit_dir)):
        if not file_name.endswith(".service"):
            continue
        path = os.path.join(unit_dir, file_name)
        entries = parse_unit(path)
        values = {}
        for section, key, value in entries:
            values.setdefault((section, key), []).append(value)

        def get(key, section="Service"):
            found = values.get((section, key))
            return found[-1] if found else None

        exec_start = get("ExecStart")
        if not exec_start:
            problems.add(path, file_name, "no ExecStart")
            continue
        words = shlex.split(exec_start.lstrip("-@:+!"))
        binary = os.path.basename(words[0])
        if binary not in BINARIES:
            problems.add(path, file_name, f"ExecStart runs {words[0]}, none "
                         f"of {', '.join(BINARIES)}")
            continue
        flags = parse_flag_args(words[1:], path, binary, problems)
        all_flags = list(flags)
        for name, value in flags:
            if name == "flagfile":
                local = os.path.join(config_dir, os.path.basename(value))
                if not os.path.exists(local):
                    problems.add(path, binary, f"--flagfile={value}: no "
                                 f"{local} in the repository")
                    continue
                referenced_flagfiles.add(os.path.basename(value))
                all_flags += read_flagfile(local, problems, binary)
        check_known_flags(flags, flag_sets[binary], path, binary, problems)
        check_tls_flags(all_flags, binary, f"{path} (with its flag file)",
                        problems)
        check_peer_flags(all_flags, binary, f"{path} (with its flag file)",
                         problems)
        user = get("User")
        if user in (None, "", "root", "0"):
            problems.add(path, binary, "User= is not an unprivileged user")
        state = get("StateDirectory")
        data_dir = flag(all_flags, "data_dir")
        if not state or data_dir is None or os.path.normpath(data_dir) != \
                os.path.join("/var/lib", state.split()[0]):
            problems.add(path, binary, f"--data_dir={data_dir} is not the "
                         f"StateDirectory={state} (/var/lib/...)")
        if get("KillSignal") != "SIGTERM":
            problems.add(path, binary, "KillSignal is not SIGTERM")
        timeout = duration_seconds(get("TimeoutStopSec") or "90")
        if timeout is None or not DRAIN_SECONDS < timeout <= 3 * DRAIN_SECONDS:
            problems.add(path, binary, f"TimeoutStopSec={get('TimeoutStopSec')}"
                         f" does not fit the {DRAIN_SECONDS} s drain")
        for key in ("NoNewPrivileges", "ProtectSystem", "PrivateTmp"):
            if get(key) in (None, "no", "false"):
                problems.add(path, binary, f"hardening option {key} not set")
        units[binary] = (path, all_flags)

    # Flag files: their own flags are checked even when no unit loads them.
    for file_name in sorted(os.listdir(config_dir)):
        if not file_name.endswith(".flags"):
            continue
        path = os.path.join(config_dir, file_name)
        binary = file_name[:-len(".flags")]
        if binary not in BINARIES:
            problems.add(path, binary, f"names no binary ({', '.join(BINARIES)})")
            continue
        if file_name not in referenced_flagfiles:
            problems.add(path, binary, "no systemd unit loads this flag file")
        # (Syntax problems of a loaded file were reported with its unit.)
        check_known_flags(
            read_flagfile(path, problems if file_name not in
                          referenced_flagfiles else Problems(), binary),
            flag_sets[binary], path, binary, problems)

    # One host: distinct ports; peers on loopback at the callee's port.
    used = {}
    for binary, (path, flags) in units.items():
        for name in ("listen", "health_listen"):
            address = split_address(flag(flags, name))
            if address is None:
                if name == "listen" or binary in SERVICES:
                    problems.add(path, binary, f"--{name}=host:port not set")
                continue
            if address[1] in used:
                problems.add(path, binary, f"--{name} port {address[1]} is "
                             f"also used by {used[address[1]]}")
            used[address[1]] = f"{binary} --{name}"
        for flag_name, callee in PEER_ADDRESS_FLAGS.items():
            value = flag(flags, flag_name)
            if value is None:
                continue
            address = split_address(value)
            if address is None or address[0] not in LOOPBACK_HOSTS:
                problems.add(path, binary, f"--{flag_name}={value}: the units "
                             "share a host; use a loopback address")
                continue
            if callee not in units:
                problems.add(path, binary, f"--{flag_name}: no {callee} unit")
                continue
            target = split_address(flag(units[callee][1], "listen"))
            if target is None or target[1] != address[1]:
                problems.add(path, binary, f"--{flag_name}={value}, but "
                             f"{callee} listens on "
                             f"{flag(units[callee][1], 'listen')}")
    for binary in BINARIES:
        if binary not in units:
            problems.add(unit_dir, binary, "no unit runs it")


def verify_units_with_systemd(deploy_dir, binaries, problems):
    """systemd-analyze verify, on copies whose ExecStart is a real binary."""
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        print("check_manifests: NOTE: no systemd-analyze; units not verified")
        return
    with tempfile.TemporaryDirectory() as scratch:
        unit_dir = os.path.join(deploy_dir, "systemd")
        copies = []
        for file_name in sorted(os.listdir(unit_dir)):
            if not file_name.endswith(".service"):
                continue
            with open(os.path.join(unit_dir, file_name)) as f:
                text = f.read()
            text = re.sub(r"^(ExecStart=)(\S+)",
                          lambda m: m.group(1) + binaries.get(
                              os.path.basename(m.group(2)), m.group(2)),
                          text, flags=re.MULTILINE)
            copies.append(os.path.join(scratch, file_name))
            with open(copies[-1], "w") as f:
                f.write(text)
        result = subprocess.run([analyze, "verify", *copies],
                                capture_output=True, text=True, timeout=120,
                                cwd=scratch)
        names = [os.path.basename(c) for c in copies]
        for line in (result.stdout + result.stderr).splitlines():
            unit = next((n for n in names if n in line), None)
            if unit is None:
                if line.strip():
                    print(f"check_manifests: NOTE: systemd-analyze: {line}")
                continue
            problems.add(os.path.join(unit_dir, unit), "systemd-analyze",
                         line.replace(scratch + "/", ""))


# ------------------------------------------------------------------ main ---

def check(deploy_dir, flag_sets, binaries):
    problems = Problems()
    documents = load_yaml_files(deploy_dir, problems)
    kube_dir = os.path.join(deploy_dir, "kubernetes")
    kube_files = {p: d for p, d in documents.items()
                  if os.path.dirname(p) == kube_dir}
    kustomization = os.path.join(kube_dir, "kustomization.yaml")
    for document in kube_files.get(kustomization, []):
        for resource in document.get("resources") or []:
            if not os.path.exists(os.path.join(kube_dir, resource)):
                problems.add(kustomization, "-", f"resource {resource} does "
                             "not exist")
    check_kubernetes(Kubernetes(kube_files), flag_sets, problems)
    compose = os.path.join(deploy_dir, "compose.yaml")
    if compose in documents and documents[compose]:
        check_compose(compose, documents[compose][0], flag_sets, problems)
    elif compose not in documents:
        problems.add(compose, "-", "missing")
    check_systemd(deploy_dir, flag_sets, problems)
    verify_units_with_systemd(deploy_dir, binaries, problems)
    return problems.items, len(documents)


# Self-test: each breaks one thing in a copy of deploy/; the check must fail
# with a message containing the expected text.
def replace_once(relative, old, new):
    def mutate(root):
        path = os.path.join(root, relative)
        with open(path) as f:
            text = f.read()
        if old not in text:
            raise SystemExit(f"self-test: {relative} no longer contains "
                             f"{old!r}; update the self-test")
        with open(path, "w") as f:
            f.write(text.replace(old, new, 1))
    return mutate


def edit_policy(name, edit):
    def mutate(root):
        path = os.path.join(root, "kubernetes", "network-policies.yaml")
        with open(path) as f:
            documents = list(yaml.safe_load_all(f))
        policy = next(d for d in documents if d["metadata"]["name"] == name)
        edit(policy["spec"])
        with open(path, "w") as f:
            yaml.safe_dump_all(documents, f)
    return mutate


def pod_peer(service):
    return {"podSelector": {"matchLabels": {
        "app.kubernetes.io/name": service}}}


SELF_TESTS = [
    ("unknown flag in a StatefulSet",
     replace_once("kubernetes/sentinel-freeze.yaml",
                  "- --listen=0.0.0.0:7452",
                  "- --listen=0.0.0.0:7452\n            - --bogus_flag=1"),
     "sentinel-freeze.yaml: sentinel-freeze: unknown flag --bogus_flag"),
    ("unknown flag in a flag file",
     replace_once("config/sentinel-trace.flags", "--listen=",
                  "--no_such_flag=1\n--listen="),
     "sentinel-trace.flags: sentinel-trace: unknown flag --no_such_flag"),
    ("unknown flag in ExecStart",
     replace_once("systemd/sentinel-audit.service",
                  "--flagfile=", "--frobnicate --flagfile="),
     "sentinel-audit.service: sentinel-audit: unknown flag --frobnicate"),
    ("unknown flag in Compose",
     replace_once("compose.yaml", "- --listen=0.0.0.0:7453",
                  "- --listen=0.0.0.0:7453\n      - --colour=blue"),
     "compose.yaml: sentinel-intake: unknown flag --colour"),
    ("YAML that does not parse",
     replace_once("kubernetes/namespace.yaml", "kind: Namespace",
                  "kind: Namespace\n  bad: [unclosed"),
     "does not parse as YAML"),
    ("probe on the wrong port",
     replace_once("kubernetes/sentinel-intake.yaml",
                  "readinessProbe:\n            grpc:\n              port: 8081",
                  "readinessProbe:\n            grpc:\n              port: 7453"),
     "readinessProbe probes port 7453, not the health port 8081"),
    ("probe of an unknown health service",
     replace_once("kubernetes/sentinel-audit.yaml",
                  "service: sentinel.v1.AuditService",
                  "service: sentinel.v1.FreezeService"),
     "asks for health service 'sentinel.v1.FreezeService'"),
    ("Service port differs from --listen",
     replace_once("kubernetes/sentinel-trace.yaml", "targetPort: grpc",
                  "targetPort: 8081"),
     "not sentinel-trace's --listen port 7454"),
    ("containerPort differs from --listen",
     replace_once("kubernetes/sentinel-freeze.yaml", "containerPort: 7452",
                  "containerPort: 7462"),
     "--listen port 7452 is not a containerPort"),
    ("peer address to a Service that does not exist",
     replace_once("kubernetes/sentinel-trace.yaml",
                  "--freeze_address=sentinel-freeze:7452",
                  "--freeze_address=sentinel-frieze:7452"),
     "no Service named sentinel-frieze"),
    ("peer address on the wrong port",
     replace_once("kubernetes/sentinel-intake.yaml",
                  "--audit_address=sentinel-audit:7451",
                  "--audit_address=sentinel-audit:7452"),
     "Service sentinel-audit has no port 7452"),
    ("peer address to the wrong service",
     replace_once("compose.yaml", "--audit_address=sentinel-audit:7451",
                  "--audit_address=sentinel-trace:7451"),
     "points at sentinel-trace, which runs sentinel-trace"),
    ("missing peer address",
     replace_once("config/sentinel-freeze.flags",
                  "--audit_address=127.0.0.1:7451\n", ""),
     "--audit_address is not set, but sentinel-freeze calls sentinel-audit"),
    ("a call that is not allowed (ingress)",
     edit_policy("sentinel-intake", lambda spec: spec["ingress"].append(
         {"from": [pod_peer("sentinel-trace")],
          "ports": [{"protocol": "TCP", "port": 7453}]})),
     "ingress allows sentinel-trace -> sentinel-intake"),
    ("a call that is not allowed (egress)",
     edit_policy("sentinel-audit", lambda spec: spec["egress"].append(
         {"to": [pod_peer("sentinel-freeze")],
          "ports": [{"protocol": "TCP", "port": 7452}]})),
     "egress allows sentinel-audit -> sentinel-freeze"),
    ("an allowed call that is blocked",
     edit_policy("sentinel-freeze", lambda spec: spec.update(
         egress=[rule for rule in spec["egress"]
                 if "podSelector" not in rule["to"][0]
                 or "namespaceSelector" in rule["to"][0]])),
     "egress does not allow the call sentinel-freeze -> sentinel-audit"),
    ("no default deny",
     replace_once("kubernetes/network-policies.yaml", "name: default-deny\n"
                  "  namespace: sentinel\nspec:\n  podSelector: {}",
                  "name: default-deny\n  namespace: sentinel\nspec:\n"
                  "  podSelector: {matchLabels: {nothing: here}}"),
     "no default-deny NetworkPolicy"),
    ("writable root file system",
     replace_once("kubernetes/sentinel-audit.yaml",
                  "readOnlyRootFilesystem: true",
                  "readOnlyRootFilesystem: false"),
     "sentinel-audit: readOnlyRootFilesystem is not true"),
    ("grace period shorter than the drain",
     replace_once("kubernetes/sentinel-trace.yaml",
                  "terminationGracePeriodSeconds: 15",
                  "terminationGracePeriodSeconds: 5"),
     "terminationGracePeriodSeconds 5 does not fit"),
    ("Secret without the key a flag uses",
     replace_once("kubernetes/secrets.yaml", "  peer.key: \"REPLACE: PEM "
                  "private key of peer.pem\"\n", ""),
     "has no key peer.key (for --peer_key)"),
    ("Compose health check on the wrong port",
     replace_once("compose.yaml", '"127.0.0.1:8081", "sentinel.v1.TraceService"',
                  '"127.0.0.1:7454", "sentinel.v1.TraceService"'),
     "sentinel-trace: the healthcheck"),
    ("Compose port not published",
     replace_once("compose.yaml", '"127.0.0.1:7452:7452"',
                  '"127.0.0.1:7452:7552"'),
     "sentinel-freeze: --listen port 7452 is not published"),
    ("systemd units sharing a port",
     replace_once("config/sentinel-trace.flags", "--listen=0.0.0.0:7454",
                  "--listen=0.0.0.0:7453"),
     "--listen port 7453 is also used by"),
    ("systemd peer on the wrong port",
     replace_once("config/sentinel-intake.flags",
                  "--freeze_address=127.0.0.1:7452",
                  "--freeze_address=127.0.0.1:7453"),
     "but sentinel-freeze listens on 0.0.0.0:7452"),
    ("systemd stop timeout shorter than the drain",
     replace_once("systemd/sentinel-freeze.service", "TimeoutStopSec=15",
                  "TimeoutStopSec=5"),
     "TimeoutStopSec=5 does not fit"),
    ("data_dir outside the StateDirectory",
     replace_once("config/sentinel-audit.flags",
                  "--data_dir=/var/lib/sentinel/audit",
                  "--data_dir=/srv/audit"),
     "--data_dir=/srv/audit is not the StateDirectory"),
]


def self_test(deploy_dir, flag_sets, binaries):
    failures = 0
    for title, mutate, expected in SELF_TESTS:
        with tempfile.TemporaryDirectory() as scratch:
            copy_dir = os.path.join(scratch, "deploy")
            shutil.copytree(deploy_dir, copy_dir, symlinks=True)
            mutate(copy_dir)
            problems, _ = check(copy_dir, flag_sets, binaries)
            if any(expected in problem for problem in problems):
                print(f"self-test ok: {title}")
            else:
                failures += 1
                print(f"self-test FAILED: {title}: no problem mentions "
                      f"{expected!r}; got {problems}")
    return failures


def main():
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--deploy-dir", required=True)
    parser.add_argument("--binary", action="append", default=[],
                        metavar="NAME=PATH")
    parser.add_argument("--fallback-binary", metavar="PATH")
    parser.add_argument("--self-test", action="store_true")
    args = parser.parse_args()

    binaries = {}
    for entry in args.binary:
        name, _, path = entry.partition("=")
        if name not in BINARIES or not path:
            parser.error(f"--binary {entry}: want NAME=PATH with NAME one of "
                         f"{', '.join(BINARIES)}")
        binaries[name] = os.path.abspath(path)
    flag_sets = {}
    for name in BINARIES:
        if name in binaries:
            flag_sets[name] = flags_from_help(binaries[name])
        elif args.fallback_binary:
            flag_sets[name] = (flags_from_help(args.fallback_binary)
                               | ASSUMED_SERVICE_FLAGS[name])
            binaries[name] = os.path.abspath(args.fallback_binary)
            print(f"check_manifests: NOTE: {name}: flags of "
                  f"{args.fallback_binary} plus assumed "
                  f"{sorted(ASSUMED_SERVICE_FLAGS[name]) or 'none'}")
        else:
            parser.error(f"no --binary {name}=PATH (or --fallback-binary)")

    deploy_dir = os.path.abspath(args.deploy_dir)
    problems, files = check(deploy_dir, flag_sets, binaries)
    for problem in problems:
        print(f"PROBLEM: {problem}")
    if problems:
        print(f"check_manifests: {len(problems)} problems in {deploy_dir}")
        return 1
    print(f"check_manifests: {deploy_dir} OK ({files} YAML files, "
          "systemd units and flag files)")
    if args.self_test:
        failures = self_test(deploy_dir, flag_sets, binaries)
        print(f"{len(SELF_TESTS) - failures} passed, {failures} failed")
        return 1 if failures else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
