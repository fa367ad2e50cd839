module tunnelier.io/cni-plugin

go 1.21
