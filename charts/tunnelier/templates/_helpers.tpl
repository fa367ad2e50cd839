{{/* The chart's name, or nameOverride. */}}
{{- define "tunnelier.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
The release's base name, at most 63 characters (a DNS label): fullnameOverride, else the release
name when it contains the chart's name, else <release>-<name>. Every object's name starts with it,
except the agents' ServiceAccount, whose name the operator's code fixes.
*/}}
{{- define "tunnelier.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := include "tunnelier.name" . -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Names the operator gives itself; the agent's are fixed by the operator's code. */}}
{{- define "tunnelier.operatorName" -}}
{{- printf "%s-operator" (include "tunnelier.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- define "tunnelier.agentName" -}}tunnelier-node-agent{{- end -}}

{{/*
The operator's ServiceAccount: serviceAccount.name, else <fullname>-operator. Without
serviceAccount.create the name must be given: the chart binds its roles to it, and never to the
namespace's "default".
*/}}
{{- define "tunnelier.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "tunnelier.operatorName" .) .Values.serviceAccount.name -}}
{{- else if .Values.serviceAccount.name -}}
{{- .Values.serviceAccount.name -}}
{{- else -}}
{{- fail "serviceAccount.create is false, so serviceAccount.name must name the ServiceAccount you made for the operator (the chart binds the operator's roles to it)" -}}
{{- end -}}
{{- end -}}

{{- define "tunnelier.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/part-of: tunnelier
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "tunnelier.operatorSelector" -}}
app.kubernetes.io/name: {{ include "tunnelier.name" . }}-operator
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "tunnelier.image" -}}
{{- printf "%s:%s" .image.repository (default .chart.AppVersion .image.tag) -}}
{{- end -}}

{{/* The operator's configuration file, from the values. */}}
{{- define "tunnelier.operatorConfig" -}}
{{- $agent := .Values.agent -}}
{{- $config := dict
  "agent" (dict
    "image" (include "tunnelier.image" (dict "image" $agent.image "chart" .Chart))
    "imagePullPolicy" $agent.image.pullPolicy
    "imagePullSecrets" (default list $agent.imagePullSecrets)
    "extraArgs" (default list $agent.extraArgs)
    "tolerations" (default list $agent.tolerations)
    "nodeSelector" (default dict $agent.nodeSelector)
    "resources" (default dict $agent.resources)
    "priorityClassName" (default "" $agent.priorityClassName)
    "logFormat" (default "text" .Values.logFormat)
    "metricsPort" (int (default 9464 $agent.metricsPort))
    "cniHold" (dict
      "enabled" (dig "enabled" true ($agent.cniHold | default dict))
      "binDir" (dig "binDir" "/opt/cni/bin" ($agent.cniHold | default dict))
      "confDir" (dig "confDir" "/etc/cni/net.d" ($agent.cniHold | default dict))))
  "addressPool" .Values.addressPool
  "siteToSiteAddressPool" .Values.siteToSiteAddressPool
  "addressPool6" (default "fd00:7475:6e6e::/96" .Values.addressPool6)
  "gatewayFailoverAfter" (default "30s" .Values.gatewayFailoverAfter)
  "gatewayHeartbeatInterval" (default "1s" .Values.gatewayHeartbeatInterval)
  "gatewayHeartbeatTimeout" (default "3s" .Values.gatewayHeartbeatTimeout)
  "finalizerWait" (default "60s" .Values.finalizerWait)
  "clusterCIDRs" (default list .Values.clusterCIDRs) -}}
{{- toYaml $config -}}
{{- end -}}

{{/*
Checks the values JSON Schema cannot explain well: a pattern failure there prints the regular
expression, not what the value should look like.
*/}}
{{- define "tunnelier.validate" -}}
{{- $octet := "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])" -}}
{{- $cidr := printf "^(%s\\.){3}%s/([0-9]|[12][0-9]|30)$" $octet $octet -}}
{{- if not (regexMatch $cidr .Values.addressPool) -}}
{{- fail (printf "addressPool %q is not an IPv4 CIDR with a prefix of /30 or shorter, such as 100.96.0.0/16 (the operator gives each Tunnel a /31 pair from it)" .Values.addressPool) -}}
{{- end -}}
{{- if not (regexMatch $cidr .Values.siteToSiteAddressPool) -}}
{{- fail (printf "siteToSiteAddressPool %q is not an IPv4 CIDR with a prefix of /30 or shorter, such as 100.97.0.0/16 (WireGuard site-to-site Tunnels derive their /31 in it)" .Values.siteToSiteAddressPool) -}}
{{- end -}}
{{- if not (regexMatch "^[0-9a-fA-F:]*:[0-9a-fA-F:]*/96$" (default "fd00:7475:6e6e::/96" .Values.addressPool6)) -}}
{{- fail (printf "addressPool6 %q is not an IPv6 /96 such as fd00:7475:6e6e::/96 (a Tunnel's IPv4 inner pair fills its last 32 bits)" .Values.addressPool6) -}}
{{- end -}}
{{- $anyPrefix := printf "^(%s\\.){3}%s/([0-9]|[12][0-9]|3[0-2])$" $octet $octet -}}
{{- $ipv6Prefix := "^[0-9a-fA-F:]*:[0-9a-fA-F:]*/([0-9]|[1-9][0-9]|1[01][0-9]|12[0-8])$" -}}
{{- range $entry := (default list .Values.clusterCIDRs) -}}
{{- if not (or (regexMatch $anyPrefix (toString $entry)) (regexMatch $ipv6Prefix (toString $entry))) -}}
{{- fail (printf "clusterCIDRs: %q is not a CIDR: list this cluster's pod and service ranges, of either family, such as 10.244.0.0/16, 10.96.0.0/12 and fd00:10:96::/112" (toString $entry)) -}}
{{- end -}}
{{- end -}}
{{- range $arg := (default list .Values.agent.extraArgs) -}}
{{- if hasPrefix "--cni-" (toString $arg) -}}
{{- fail (printf "agent.extraArgs: %q is not allowed: set agent.cniHold instead (the agents' DaemonSet mounts the node directories it needs)" (toString $arg)) -}}
{{- end -}}
{{- if hasPrefix "--heartbeat-" (toString $arg) -}}
{{- fail (printf "agent.extraArgs: %q is not allowed: set gatewayHeartbeatInterval instead (the operator judges the heartbeats with gatewayHeartbeatTimeout, which must fit the interval)" (toString $arg)) -}}
{{- end -}}
{{- if or (eq (toString $arg) "--metrics-port") (hasPrefix "--metrics-port=" (toString $arg)) -}}
{{- fail (printf "agent.extraArgs: %q is not allowed: set agent.metricsPort instead (the agents' DaemonSet port, readiness probe and Service follow that value)" (toString $arg)) -}}
{{- end -}}
{{- end -}}
{{- range $key := list "gatewayFailoverAfter" "finalizerWait" "gatewayHeartbeatInterval" "gatewayHeartbeatTimeout" -}}
{{- $value := index $.Values $key | default "" -}}
{{- if and $value (not (regexMatch "^[0-9]+(ms|s|m|h)$" $value)) -}}
{{- fail (printf "%s %q is not a duration: use a number and a unit, such as 500ms, 30s, 2m or 1h" $key $value) -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* A list of strings as the inside of a CEL list literal: 'a', 'b'. */}}
{{- define "tunnelier.celStrings" -}}
{{- $quoted := list -}}
{{- range . -}}{{- $quoted = append $quoted (printf "'%s'" .) -}}{{- end -}}
{{- join ", " $quoted -}}
{{- end -}}
