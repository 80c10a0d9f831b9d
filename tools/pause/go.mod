// The pod sandbox ("pause") program of the real-pods tier's node: the registries here carry no
// registry.k8s.io/pause image, so the node's sandbox image is built from this.
module kratosauth.local/pause

go 1.23
