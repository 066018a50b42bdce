#!/usr/bin/env python3
"""Checks packaging/kubernetes/ and packaging/container/Containerfile (run by .ci/run).

Every manifest is parsed and validated against the Kubernetes API schema (kubernetes-validate,
strict: unknown fields fail), then held to what docs/packaging.md promises: one replica on a
ReadWriteOnce claim, probes on /health/live and /health/ready, the original resource requests and
limits, secrets from a Secret, a PodDisruptionBudget, and selectors, ports, names and the uid that
agree with each other, with the Containerfile and with the image script. The fleet (fleet/) is held
to the same pod, one volume per node, HAProxy's configuration naming only pods that exist, and
`haproxy -c` where HAProxy is installed.
"""
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

import kubernetes_validate
import yaml

KUBERNETES_VERSION = "1.30"
ROOT = pathlib.Path(__file__).resolve().parents[2]
HERE = ROOT / "packaging" / "kubernetes"
failures = []


def check(what, condition):
    print(("ok: " if condition else "FAIL: ") + what)
    if not condition:
        failures.append(what)


def load(name):
    return [doc for doc in yaml.safe_load_all((HERE / name).read_text()) if doc]


kustomization = load("kustomization.yaml")[0]
listed = kustomization["resources"]
on_disk = sorted(p.name for p in HERE.glob("*.yaml") if p.name != "kustomization.yaml")
check(f"kustomization lists every manifest ({', '.join(on_disk)})", sorted(listed) == on_disk)

def validate_schema(docs, prefix=""):
    """Each object against the Kubernetes API schema; unknown fields fail."""
    for doc in docs:
        label = f"{prefix}{doc.get('kind')}/{doc.get('metadata', {}).get('name')}"
        try:
            kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)
            check(f"{label} is valid against the Kubernetes {KUBERNETES_VERSION} schema", True)
        except kubernetes_validate.ValidationError as error:
            check(f"{label} is valid against the Kubernetes {KUBERNETES_VERSION} schema: {error.message} at {list(error.path)}", False)


documents = [doc for name in listed for doc in load(name)]
validate_schema(documents)


def only(kind):
    found = [doc for doc in documents if doc["kind"] == kind]
    check(f"exactly one {kind}", len(found) == 1)
    return found[0] if found else {}


statefulset, configmap, secret, budget = only("StatefulSet"), only("ConfigMap"), only("Secret"), only("PodDisruptionBudget")
services = {doc["metadata"]["name"]: doc for doc in documents if doc["kind"] == "Service"}
spec = statefulset["spec"]
pod = spec["template"]["spec"]
container = pod["containers"][0]
pod_labels = spec["template"]["metadata"]["labels"]

check("StatefulSet runs exactly one replica", spec["replicas"] == 1)
claims = spec.get("volumeClaimTemplates", [])
check("data lives on a ReadWriteOnce PersistentVolumeClaim", [c["spec"]["accessModes"] for c in claims] == [["ReadWriteOnce"]])
mounts = {m["mountPath"]: m["name"] for m in container["volumeMounts"]}
check("the claim is mounted at /var/lib/emporium", mounts.get("/var/lib/emporium") == claims[0]["metadata"]["name"])
check("selector matches the pod labels", spec["selector"]["matchLabels"].items() <= pod_labels.items())

ports = {p["name"]: p["containerPort"] for p in container["ports"]}
check("container port http is 3000", ports.get("http") == 3000)
for probe, path in [("livenessProbe", "/health/live"), ("readinessProbe", "/health/ready"), ("startupProbe", "/health/live")]:
    get = container.get(probe, {}).get("httpGet", {})
    check(f"{probe} asks {path} on a declared port", get.get("path") == path and get.get("port") in ports)

resources = container["resources"]
check("requests 256Mi / 250m", resources["requests"] == {"memory": "256Mi", "cpu": "250m"})
check("limits 512Mi / 500m", resources["limits"] == {"memory": "512Mi", "cpu": "500m"})

sources = {ref: source[ref]["name"] for source in container["envFrom"] for ref in source}
check("environment from the Secret", sources.get("secretRef") == secret["metadata"]["name"])
check("environment from the ConfigMap", sources.get("configMapRef") == configmap["metadata"]["name"])
check("the Secret holds the three secrets", set(secret.get("stringData", {})) == {"JWT_SECRET", "JWT_REFRESH_SECRET", "ENCRYPTION_KEY"})
documented = set(re.findall(r"^#?([A-Z][A-Z0-9_]+)=", (ROOT / "config" / "emporium.env").read_text(), re.M))
unknown = sorted(set(configmap["data"]) - documented)
check(f"every ConfigMap setting is documented in config/emporium.env {unknown or ''}", not unknown)
check("ConfigMap listens on every address and port 3000", configmap["data"].get("HOST") == "0.0.0.0" and configmap["data"].get("PORT") == "3000")

security = pod["securityContext"]
check("pod runs as non-root uid/gid 10001 with fsGroup", security.get("runAsNonRoot") and
      (security.get("runAsUser"), security.get("runAsGroup"), security.get("fsGroup")) == (10001, 10001, 10001))
hardening = container["securityContext"]
check("container drops every capability, no privilege escalation, read-only root",
      hardening.get("capabilities", {}).get("drop") == ["ALL"] and hardening.get("allowPrivilegeEscalation") is False
      and hardening.get("readOnlyRootFilesystem") is True)
writable = {"/var/lib/emporium", "/var/log/emporium", "/tmp"}
check("data, log and tmp folders are writable volumes", writable <= set(mounts))
check("grace period covers the 30 s drain", pod.get("terminationGracePeriodSeconds", 30) > 30)

check("StatefulSet's governing service is headless", services.get(spec["serviceName"], {}).get("spec", {}).get("clusterIP") == "None")
for name, service in services.items():
    check(f"Service {name} selects the pod and targets a declared port",
          service["spec"]["selector"].items() <= pod_labels.items() and all(p["targetPort"] in ports for p in service["spec"]["ports"]))
check("PodDisruptionBudget selects the pod", budget["spec"]["selector"]["matchLabels"].items() <= pod_labels.items())

# The Containerfile and the image script build the same image the manifests expect.
containerfile = (ROOT / "packaging" / "container" / "Containerfile").read_text()
instructions = [line.split(None, 1) for line in re.sub(r"\\\n\s*", " ", containerfile).splitlines()
                if line.strip() and not line.lstrip().startswith("#")]
values = {}
for keyword, *rest in instructions:
    values.setdefault(keyword, []).append(rest[0] if rest else "")
check("Containerfile is multi-stage", len(values.get("FROM", [])) >= 2)
check("Containerfile runs as uid 10001", values.get("USER", [""])[-1].split(":")[0] == "10001")
check("Containerfile HEALTHCHECK asks /health/live", "/health/live" in values.get("HEALTHCHECK", [""])[-1])
check("Containerfile VOLUME /var/lib/emporium", "/var/lib/emporium" in values.get("VOLUME", []))
check("Containerfile EXPOSE 3000", "3000" in values.get("EXPOSE", []))
image_script = (ROOT / "packaging" / "container" / "build-image.sh").read_text()
check("build-image.sh uses the same uid", re.search(r"^uid=10001$", image_script, re.M) is not None)

# The fleet (fleet/): the single appliance as platform node, node groups of the same pod, HAProxy
# with its configuration from `emporium fleet haproxy` in a ConfigMap (docs/fleet.md).
FLEET = HERE / "fleet"
fleet_kustomization = yaml.safe_load((FLEET / "kustomization.yaml").read_text())
fleet_listed = [name for name in fleet_kustomization["resources"] if name != ".."]
check("fleet kustomization builds on the single appliance (..) as its platform node", ".." in fleet_kustomization["resources"])
check("fleet kustomization lists every fleet manifest",
      sorted(fleet_listed) == sorted(p.name for p in FLEET.glob("*.yaml") if p.name != "kustomization.yaml"))
fleet_docs = [doc for name in fleet_listed for doc in load(f"fleet/{name}")]
validate_schema(fleet_docs, "fleet ")
names = [(doc["kind"], doc["metadata"]["name"]) for doc in documents + fleet_docs]
check("no two objects of the fleet share a kind and name", len(names) == len(set(names)))

groups = [doc for doc in fleet_docs if doc["kind"] == "StatefulSet"]
fleet_services = {doc["metadata"]["name"]: doc for doc in fleet_docs if doc["kind"] == "Service"}
check("the fleet has a node group and a standby group", {g["metadata"]["name"] for g in groups} == {"emporium-node", "emporium-standby"})
same = ["image", "args", "ports", "envFrom", "resources", "startupProbe", "livenessProbe", "readinessProbe", "securityContext"]
pods = {}  # "<statefulset>-<i>.<service>:3000" -> group
for group in groups:
    name, gspec = group["metadata"]["name"], group["spec"]
    gpod = gspec["template"]["spec"]
    gcontainer = gpod["containers"][0]
    glabels = gspec["template"]["metadata"]["labels"]
    check(f"{name}: the appliance's container unchanged ({', '.join(same)})", all(gcontainer.get(k) == container.get(k) for k in same))
    check(f"{name}: the appliance's pod security and grace period",
          gpod["securityContext"] == pod["securityContext"] and gpod.get("terminationGracePeriodSeconds") == pod.get("terminationGracePeriodSeconds"))
    check(f"{name}: each pod its own ReadWriteOnce data volume", gspec["volumeClaimTemplates"] == spec["volumeClaimTemplates"])
    check(f"{name}: the appliance's Services do not select its pods",
          not any(service["spec"]["selector"].items() <= glabels.items() for service in services.values()))
    governing = fleet_services.get(gspec["serviceName"], {})
    check(f"{name}: governed by a headless Service that selects its pods",
          governing.get("spec", {}).get("clusterIP") == "None" and governing["spec"]["selector"].items() <= glabels.items())
    gmounts = {m["mountPath"]: m["name"] for m in gcontainer["volumeMounts"]}
    env = {e["name"]: e.get("value") for e in gcontainer.get("env", [])}
    shared = [v for v in gpod["volumes"] if v["name"] == gmounts.get("/srv/standby")]
    check(f"{name}: the standby's shared backup folder is mounted at /srv/standby",
          shared and shared[0].get("persistentVolumeClaim", {}).get("claimName") == "emporium-standby-backups")
    if name == "emporium-node":
        check("node group: scheduled backups shipped to /srv/standby/<pod name>/",
              env.get("BACKUP_SHIP_TO") == "/srv/standby/$(POD_NAME)/" and env.get("BACKUP_INTERVAL") not in (None, "off"))
    else:
        check("standby: reads the shipped backups as its BACKUP_DIR", env.get("BACKUP_DIR") == "/srv/standby")
    for index in range(gspec["replicas"]):
        pods[f"{name}-{index}.{gspec['serviceName']}:3000"] = name
pods[f"{statefulset['metadata']['name']}-0.{spec['serviceName']}:3000"] = "platform"
claims = [doc for doc in fleet_docs if doc["kind"] == "PersistentVolumeClaim" and doc["metadata"]["name"] == "emporium-standby-backups"]
check("the shared backup folder is a ReadWriteMany claim", [c["spec"]["accessModes"] for c in claims] == [["ReadWriteMany"]])

proxy = [doc for doc in fleet_docs if doc["kind"] == "Deployment" and doc["metadata"]["name"] == "emporium-proxy"]
proxy_config = [doc for doc in fleet_docs if doc["kind"] == "ConfigMap" and doc["metadata"]["name"] == "emporium-haproxy"]
check("one HAProxy Deployment and its ConfigMap", len(proxy) == 1 and len(proxy_config) == 1)
if proxy and proxy_config:
    pspec = proxy[0]["spec"]
    pcontainer = pspec["template"]["spec"]["containers"][0]
    files = proxy_config[0]["data"]
    check("HAProxy runs two replicas, rolled without taking one away", pspec["replicas"] >= 2 and pspec["strategy"]["rollingUpdate"]["maxUnavailable"] == 0)
    mount = {m["name"]: m["mountPath"] for m in pcontainer["volumeMounts"]}.get("config")
    check("the ConfigMap is mounted where HAProxy reads it", mount == "/usr/local/etc/haproxy" and
          any(v.get("configMap", {}).get("name") == "emporium-haproxy" for v in pspec["template"]["spec"]["volumes"]))
    check("the ConfigMap holds haproxy.cfg, emporium.cfg and the two maps",
          set(files) == {"haproxy.cfg", "emporium.cfg", "emporium-tenants.map", "emporium-hosts.map"})
    check("HAProxy loads both configuration files", [f"{mount}/haproxy.cfg", f"{mount}/emporium.cfg"] ==
          [pcontainer["args"][i + 1] for i, a in enumerate(pcontainer["args"]) if a == "-f"])
    cfg = files.get("emporium.cfg", "")
    binds = re.findall(r"^\s*bind \S*:(\d+)", cfg, re.M)
    check("the frontend binds the proxy's container port", binds == [str(p["containerPort"]) for p in pcontainer["ports"]])
    check("the maps are read from the mounted folder", set(re.findall(r"map\(([^)]*)\)", cfg)) ==
          {f"{mount}/emporium-tenants.map", f"{mount}/emporium-hosts.map"})
    servers = re.findall(r"^\s*server (\S+) (\S+)", cfg, re.M)
    check(f"every backend server is a pod of the fleet ({len(servers)} servers)", servers and all(address in pods for _, address in servers))
    backends = set(re.findall(r"^backend (\S+)", cfg, re.M))
    mapped = {line.split()[1] for name in ("emporium-tenants.map", "emporium-hosts.map") for line in files.get(name, "").splitlines() if line.strip()}
    check("every map line names a backend of emporium.cfg", mapped <= backends)
    proxy_service = fleet_services.get("emporium-proxy", {})
    check("Service emporium-proxy selects the proxy pods",
          proxy_service.get("spec", {}).get("selector", {}).items() <= pspec["template"]["metadata"]["labels"].items())
    haproxy = shutil.which("haproxy") or next((p for p in ("/usr/sbin/haproxy", "/usr/local/sbin/haproxy") if os.path.exists(p)), None)
    if haproxy:
        with tempfile.TemporaryDirectory() as folder:
            for name, text in files.items():
                pathlib.Path(folder, name).write_text(text.replace(mount, folder))
            result = subprocess.run([haproxy, "-c", "-f", f"{folder}/haproxy.cfg", "-f", f"{folder}/emporium.cfg"], capture_output=True, text=True)
            check("haproxy -c accepts the ConfigMap's configuration" + ("" if result.returncode == 0 else f": {result.stderr.strip()[-300:]}"),
                  result.returncode == 0)
    else:
        print("skip: haproxy -c (haproxy not installed)")
documents += fleet_docs

print(f"manifests: {sum(1 for _ in documents)} objects, {len(failures)} failures")
sys.exit(1 if failures else 0)
