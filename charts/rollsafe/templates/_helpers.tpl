{{/* Chart name, truncated to the 63 characters of a label value. */}}
{{- define "rollsafe.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Object names: the release name, plus the chart name unless the release name contains it. */}}
{{- define "rollsafe.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "rollsafe.selectorLabels" -}}
app.kubernetes.io/name: {{ include "rollsafe.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "rollsafe.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "rollsafe.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: admission-webhook
app.kubernetes.io/part-of: rollsafe
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "rollsafe.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "rollsafe.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "rollsafe.image" -}}
{{- $tag := default .Chart.AppVersion .Values.image.tag }}
{{- if .Values.image.digest }}
{{- printf "%s:%s@%s" .Values.image.repository $tag .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository $tag }}
{{- end }}
{{- end }}

{{/* The Secret holding tls.crt and tls.key that the server reads. */}}
{{- define "rollsafe.tlsSecretName" -}}
{{- if eq .Values.certificates.mode "secret" }}
{{- .Values.certificates.secret.name }}
{{- else }}
{{- printf "%s-tls" (include "rollsafe.fullname" .) }}
{{- end }}
{{- end }}

{{/* The names the API server may use for the Service: <svc>.<ns>.svc is the one it uses. */}}
{{- define "rollsafe.dnsNames" -}}
{{- $svc := include "rollsafe.fullname" . }}
{{- $ns := .Release.Namespace }}
{{- list $svc (printf "%s.%s" $svc $ns) (printf "%s.%s.svc" $svc $ns) (printf "%s.%s.svc.%s" $svc $ns .Values.certificates.clusterDomain) | toJson }}
{{- end }}

{{/*
Whether to render matchConditions: webhook.matchConditions true/false, or "auto" = the API server
is 1.30 or newer (GA there; beta and on by default in 1.28 and 1.29, absent before).
*/}}
{{- define "rollsafe.useMatchConditions" -}}
{{- $v := .Values.webhook.matchConditions }}
{{- if eq (toString $v) "auto" }}
{{- if semverCompare ">=1.30.0-0" .Capabilities.KubeVersion.Version }}true{{ end }}
{{- else if $v }}true{{ end }}
{{- end }}

{{/* ROLLSAFE_SCHEMAS: the files of the schemas ConfigMap, comma-separated (called with .Values.schemas). */}}
{{- define "rollsafe.schemaFiles" -}}
{{- $files := list }}
{{- range $file, $_ := . }}
{{- $files = append $files (printf "/etc/rollsafe/schemas/%s" $file) }}
{{- end }}
{{- join "," $files }}
{{- end }}

{{/*
Namespaces the webhook is never called for, as a JSON list: the cluster's own (kube-system,
kube-node-lease, kube-public) and the release namespace always, plus webhook.excludeNamespaces.
A user's list adds to them and never replaces them, so the cluster and Rollsafe itself can always
be repaired under failurePolicy Fail.
*/}}
{{- define "rollsafe.excludedNamespaces" -}}
{{- concat (list "kube-system" "kube-node-lease" "kube-public") (.Values.webhook.excludeNamespaces | default list) (list .Release.Namespace) | uniq | toJson }}
{{- end }}

{{/*
The container's resources with every quantity as a string (called with .Values.resources): a YAML
number (cpu: 0.5, cpu: 1, memory: 2000000000) becomes the string "0.5", "1" or "2000000000".
*/}}
{{- define "rollsafe.resources" -}}
{{- $out := dict }}
{{- range $section, $quantities := . }}
{{- $q := dict }}
{{- range $name, $v := $quantities }}
{{- /* A values file's numbers are float64: 2000000000 would print as 2e+09. */}}
{{- if and (kindIs "float64" $v) (eq (float64 (int64 $v)) $v) }}{{ $v = int64 $v }}{{ end }}
{{- $_ := set $q $name (toString $v) }}
{{- end }}
{{- $_ := set $out $section $q }}
{{- end }}
{{- toYaml $out }}
{{- end }}

{{/*
values.config as the policy configuration file. Helm reads values files as YAML 1.1, where an
unquoted `off` is false: a policy action false (bare, or as `action`, in policies and in
namespaceOverrides[].policies; values.schema.json allows it there only) is written as "off".
*/}}
{{- define "rollsafe.policyConfig" -}}
{{- $config := deepCopy .Values.config }}
{{- $maps := list }}
{{- with $config.policies }}{{ $maps = append $maps . }}{{ end }}
{{- range $config.namespaceOverrides }}
{{- with .policies }}{{ $maps = append $maps . }}{{ end }}
{{- end }}
{{- range $policies := $maps }}
{{- range $id, $p := $policies }}
{{- if and (kindIs "bool" $p) (not $p) }}
{{- $_ := set $policies $id "off" }}
{{- else if and (kindIs "map" $p) (hasKey $p "action") (kindIs "bool" $p.action) (not $p.action) }}
{{- $_ := set $p "action" "off" }}
{{- end }}
{{- end }}
{{- end }}
{{- toYaml $config }}
{{- end }}

{{/* Relations between values that values.schema.json cannot express. */}}
{{- define "rollsafe.validate" -}}
{{- if eq (toString .Values.image.tag) "latest" }}
{{- fail "image.tag \"latest\" is refused: nodes would run different builds; set a version such as 0.1.0, or leave it empty for the chart's appVersion" }}
{{- end }}
{{- if ge (int .Values.server.requestTimeoutMs) (mul (int .Values.webhook.timeoutSeconds) 1000 | int) }}
{{- fail (printf "server.requestTimeoutMs (%v) must be below webhook.timeoutSeconds (%v s): the server must answer before the API server gives up" .Values.server.requestTimeoutMs .Values.webhook.timeoutSeconds) }}
{{- end }}
{{- /* After the drain the server waits for reviews in flight up to requestTimeoutMs + 1 s. */}}
{{- $shutdown := addf (float64 .Values.server.drainSeconds) (divf (float64 .Values.server.requestTimeoutMs) 1000) 1 }}
{{- if le (float64 .Values.terminationGracePeriodSeconds) $shutdown }}
{{- fail (printf "terminationGracePeriodSeconds (%v) must be above server.drainSeconds + server.requestTimeoutMs + 1 s (%v s): the pod would be killed while draining or finishing reviews" .Values.terminationGracePeriodSeconds $shutdown) }}
{{- end }}
{{- end }}
