{{/* The release's base name, for the objects that are not Services (those take postgres.serviceName and redis.serviceName). */}}
{{- define "todo-data.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 50 | trimSuffix "-" -}}
{{- else if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 50 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* Called with (dict "root" $ "component" "postgres"). */}}
{{- define "todo-data.selectorLabels" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- with .component }}
app.kubernetes.io/component: {{ . }}
{{- end }}
{{- end -}}

{{- define "todo-data.labels" -}}
{{ include "todo-data.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/part-of: todo
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" }}
{{- end -}}

{{/*
An image by digest when one is given (the tag, which defaults to the official
image's, is then ignored), else by tag.
Called with (dict "image" .Values.postgres.image "name" "postgres").
*/}}
{{- define "todo-data.image" -}}
{{- $image := .image -}}
{{- if $image.digest -}}
{{- printf "%s@%s" $image.repository $image.digest -}}
{{- else if $image.tag -}}
{{- printf "%s:%s" $image.repository $image.tag -}}
{{- else -}}
{{- fail (printf "%s.image: set digest (sha256: and 64 hex digits) or tag" .name) -}}
{{- end -}}
{{- end -}}

{{- define "todo-data.secretName" -}}
{{- .Values.auth.existingSecret | default (include "todo-data.fullname" .) -}}
{{- end -}}

{{/* Pod hardening, the user from values: each image has its own. Called with a securityContext value. */}}
{{- define "todo-data.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .runAsUser }}
runAsGroup: {{ .runAsGroup }}
fsGroup: {{ .fsGroup }}
# A volume already owned by the group is not walked again at every start.
fsGroupChangePolicy: OnRootMismatch
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "todo-data.containerSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .runAsUser }}
runAsGroup: {{ .runAsGroup }}
readOnlyRootFilesystem: true
allowPrivilegeEscalation: false
capabilities:
  drop: [ALL]
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* One variable from the Secret; each container gets only its own keys. */}}
{{- define "todo-data.secretEnv" -}}
- name: {{ .key }}
  valueFrom:
    secretKeyRef:
      name: {{ include "todo-data.secretName" .root }}
      key: {{ .key }}
{{- end -}}
