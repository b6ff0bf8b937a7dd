// Validates Kubernetes objects (YAML documents on stdin, as kustomize renders them) against the JSON
// schemas that the kubernetes-models packages generate from the Kubernetes OpenAPI spec and the
// prometheus-operator CRDs: types, required fields, enums and formats. Prints one line per object;
// exits 1 on the first invalid or unknown kind. Run by scripts/validate-k8s.sh.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

// apiVersion -> the module with its classes ("v1" is the core group)
const modules = {
  "v1": "kubernetes-models/v1",
  "apps/v1": "kubernetes-models/apps/v1",
  "autoscaling/v2": "kubernetes-models/autoscaling/v2",
  "policy/v1": "kubernetes-models/policy/v1",
  "monitoring.coreos.com/v1": "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1",
};

const source = process.argv[2] ?? "stdin";
const docs = parseAllDocuments(readFileSync(0, "utf8"));
let count = 0;
for (const doc of docs) {
  if (doc.errors.length) {
    console.error(`${source}: YAML error: ${doc.errors[0].message}`);
    process.exit(1);
  }
  const obj = doc.toJS();
  if (obj == null) continue;
  const name = `${obj.apiVersion} ${obj.kind} ${obj.metadata?.name}`;
  const module = modules[obj.apiVersion];
  if (!module) {
    console.error(`${source}: ${name}: no schema for apiVersion ${obj.apiVersion}`);
    process.exit(1);
  }
  const Kind = (await import(module))[obj.kind];
  if (!Kind) {
    console.error(`${source}: ${name}: no schema for kind ${obj.kind} in ${obj.apiVersion}`);
    process.exit(1);
  }
  try {
    new Kind(obj).validate();
  } catch (e) {
    console.error(`${source}: ${name}: ${e.message}`);
    process.exit(1);
  }
  console.log(`${source}: ${name}: valid`);
  count++;
}
if (count === 0) {
  console.error(`${source}: no objects`);
  process.exit(1);
}
