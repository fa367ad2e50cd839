{{/* The release's base name, at most 63 characters (a DNS label). */}}
{{- define "tunnelier.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* Names the operator gives itself; the agent's are fixed by the operator's code. */}}
{{- define "tunnelier.operatorName" -}}
{{- printf "%s-operator" (include "tunnelier.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- define "tunnelier.agentName" -}}tunnelier-node-agent{{- end -}}

{{- define "tunnelier.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/part-of: tunnelier
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "tunnelier.operatorSelector" -}}
app.kubernetes.io/name: tunnelier-operator
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
    "priorityClassName" (default "" $agent.priorityClassName))
  "addressPool" .Values.addressPool
  "gatewayFailoverAfter" (default "30s" .Values.gatewayFailoverAfter)
  "finalizerWait" (default "60s" .Values.finalizerWait) -}}
{{- toYaml $config -}}
{{- end -}}
