{{/* Chart name, truncated to the 63 characters a label value may have. */}}
{{- define "saturn.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Release-scoped name; leaves room for the "-api"/"-worker" suffixes. */}}
{{- define "saturn.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 56 | trimSuffix "-" }}
{{- else if contains (include "saturn.name" .) .Release.Name }}
{{- .Release.Name | trunc 56 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name (include "saturn.name" .) | trunc 56 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{- define "saturn.selectorLabels" -}}
app.kubernetes.io/name: {{ include "saturn.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "saturn.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "saturn.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* Labels of one role's objects; call with (dict "root" $ "role" "api"). */}}
{{- define "saturn.roleLabels" -}}
{{ include "saturn.labels" .root }}
app.kubernetes.io/component: {{ .role }}
{{- end }}

{{- define "saturn.roleSelectorLabels" -}}
{{ include "saturn.selectorLabels" .root }}
app.kubernetes.io/component: {{ .role }}
{{- end }}

{{/* repository:tag or repository@digest; the tag defaults to appVersion and is never "latest". */}}
{{- define "saturn.image" -}}
{{- $tag := .Values.image.tag | default .Chart.AppVersion | toString }}
{{- if eq $tag "latest" }}
{{- fail "image.tag must name a version, not \"latest\" (empty means the chart's appVersion)" }}
{{- end }}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository $tag }}
{{- end }}
{{- end }}

{{- define "saturn.secretName" -}}
{{- .Values.secrets.existingSecret | default (include "saturn.fullname" .) }}
{{- end }}

{{- define "saturn.temporalTlsSecretName" -}}
{{- .Values.temporal.tls.existingSecret | default (printf "%s-temporal-tls" (include "saturn.fullname" .)) }}
{{- end }}

{{- define "saturn.mutualTls" -}}
{{- if or .Values.temporal.tls.existingSecret .Values.temporal.tls.clientCert }}true{{- end }}
{{- end }}

{{- define "saturn.temporalCa" -}}
{{- if or .Values.temporal.tls.ca .Values.temporal.tls.caCert }}true{{- end }}
{{- end }}

{{- define "saturn.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- .Values.serviceAccount.name | default (include "saturn.fullname" .) }}
{{- else }}
{{- .Values.serviceAccount.name | default "default" }}
{{- end }}
{{- end }}
