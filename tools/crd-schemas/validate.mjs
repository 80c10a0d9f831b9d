// Validates Kubernetes custom resources with the @kubernetes-models validators.
// stdin: a JSON array of documents; stdout: a JSON array of {kind, name, errors} in the same order.
// These validators check types, enums, patterns and required fields, but let unknown fields
// through; tests/program/crd_schemas.py adds that check from the CRD files themselves.
import { readFileSync } from "node:fs";

const PACKAGES = {
  "gateway.networking.k8s.io": "@kubernetes-models/gateway-api",
  "external-secrets.io": "@kubernetes-models/external-secrets",
  "cert-manager.io": "@kubernetes-models/cert-manager",
  "monitoring.coreos.com": "@kubernetes-models/prometheus-operator",
};

async function validate(doc) {
  const [group, version] = String(doc.apiVersion).split("/");
  const pkg = PACKAGES[group];
  const name = doc.metadata?.name ?? "";
  if (!pkg || !version) {
    return { kind: doc.kind, name, errors: [`no model for apiVersion ${doc.apiVersion}`] };
  }
  let Model;
  try {
    ({ [doc.kind]: Model } = await import(`${pkg}/${group}/${version}/${doc.kind}`));
  } catch (error) {
    return { kind: doc.kind, name, errors: [`no model for ${doc.apiVersion} ${doc.kind}`] };
  }
  try {
    new Model(doc).validate();
    return { kind: doc.kind, name, errors: [] };
  } catch (error) {
    return { kind: doc.kind, name, errors: [String(error.message ?? error)] };
  }
}

const docs = JSON.parse(readFileSync(0, "utf8"));
const results = [];
for (const doc of docs) results.push(await validate(doc));
process.stdout.write(JSON.stringify(results) + "\n");
