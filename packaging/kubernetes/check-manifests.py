#!/usr/bin/env python3
"""Checks packaging/kubernetes/ and packaging/container/Containerfile (run by .ci/run).

Every manifest is parsed and validated against the Kubernetes API schema (kubernetes-validate,
strict: unknown fields fail), then held to what docs/packaging.md promises: one replica on a
ReadWriteOnce claim, probes on /health/live and /health/ready, the original resource requests and
limits, secrets from a Secret, a PodDisruptionBudget, and selectors, ports, names and the uid that
agree with each other, with the Containerfile and with the image script.
"""
import pathlib
import re
import sys

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

documents = [doc for name in listed for doc in load(name)]
for doc in documents:
    label = f"{doc.get('kind')}/{doc.get('metadata', {}).get('name')}"
    try:
        kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)
        check(f"{label} is valid against the Kubernetes {KUBERNETES_VERSION} schema", True)
    except kubernetes_validate.ValidationError as error:
        check(f"{label} is valid against the Kubernetes {KUBERNETES_VERSION} schema: {error.message} at {list(error.path)}", False)


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

print(f"manifests: {sum(1 for _ in documents)} objects, {len(failures)} failures")
sys.exit(1 if failures else 0)
