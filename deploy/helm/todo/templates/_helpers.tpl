{{/*
The release's base name: the release name alone when it already says "todo"
(release `todo` → todo-backend, todo-frontend). Short enough that every
suffix below keeps names under 63 characters.
*/}}
{{- define "todo.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 50 | trimSuffix "-" -}}
{{- else if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 50 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/*
Selector labels: stable for the life of a Deployment (a selector cannot change).
Called with (dict "root" $ "component" "backend"); without a component they
select every pod of the release. app.kubernetes.io/name is the chart's name,
never overridden: the todo-data chart's NetworkPolicy admits pods by it.
*/}}
{{- define "todo.selectorLabels" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- with .component }}
app.kubernetes.io/component: {{ . }}
{{- end }}
{{- end -}}

{{- define "todo.labels" -}}
{{ include "todo.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/part-of: todo
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" }}
{{- end -}}

{{/*
An image reference, by digest: what production runs is exactly what was
rehearsed. A tag only when no digest is given (local development); both at
once is refused, so a tag never silently loses to a digest.
Called with (dict "image" .Values.backend.image "name" "backend").
*/}}
{{- define "todo.image" -}}
{{- $image := .image -}}
{{- if and $image.digest $image.tag -}}
{{- fail (printf "%s.image: digest and tag are both set; give the digest (sha256:...) alone, or a tag alone for local development" .name) -}}
{{- else if $image.digest -}}
{{- printf "%s@%s" $image.repository $image.digest -}}
{{- else if $image.tag -}}
{{- printf "%s:%s" $image.repository $image.tag -}}
{{- else -}}
{{- fail (printf "%s.image: set digest (sha256: and 64 hex digits, the image production runs) or, for local development only, tag" .name) -}}
{{- end -}}
{{- end -}}

{{/*
One environment value as a string. Numbers from a values file arrive as
float64, which would print as 1e+06: print them as whole numbers.
*/}}
{{- define "todo.envString" -}}
{{- if kindIs "invalid" . -}}
{{- else if kindIs "float64" . -}}
{{- . | int64 -}}
{{- else -}}
{{- . -}}
{{- end -}}
{{- end -}}

{{/*
The backend's non-secret environment as a YAML map: the ConfigMap's data for
the replicas, and the migration Job's env (the Job runs before the ConfigMap
exists on a fresh install). Fixed here: what the ports, probes and Services
depend on. Empty values are left out, so the app's own default applies.
*/}}
{{- define "todo.configEnv" -}}
{{- $publicUrl := required "publicUrl is required: the address users open, scheme and host (e.g. https://todo.example.com); cookies and CSRF checks depend on it" .Values.publicUrl -}}
{{- $env := dict "NODE_ENV" "production" "PORT" "3000" "METRICS_PORT" "9464" "PUBLIC_URL" $publicUrl -}}
{{- if eq (toString .Values.config.TRUST_PROXY) "true" -}}
{{- fail "config.TRUST_PROXY: true trusts every hop, so any client could claim any address; give the proxies' addresses (uniquelocal) or their number" -}}
{{- end -}}
{{- if .Values.databaseCa.configMap -}}
{{- $_ := set $env "NODE_EXTRA_CA_CERTS" "/etc/todo/database-ca/ca.crt" -}}
{{- end -}}
{{- range $name, $value := .Values.config -}}
{{- $text := include "todo.envString" $value -}}
{{- if ne $text "" -}}
{{- $_ := set $env $name $text -}}
{{- end -}}
{{- end -}}
{{- toYaml $env -}}
{{- end -}}

{{/* The private CA of a managed database, where the API and the migration read it (NODE_EXTRA_CA_CERTS). */}}
{{- define "todo.databaseCa.volumeMount" -}}
{{- if .Values.databaseCa.configMap }}
- name: database-ca
  mountPath: /etc/todo/database-ca
  readOnly: true
{{- end }}
{{- end -}}

{{- define "todo.databaseCa.volume" -}}
{{- with .Values.databaseCa.configMap }}
- name: database-ca
  configMap:
    name: {{ . }}
    items:
      - key: {{ $.Values.databaseCa.key }}
        path: ca.crt
{{- end }}
{{- end -}}

{{/* A millisecond setting from `config`, or the app's default when empty. */}}
{{- define "todo.configMs" -}}
{{- $text := include "todo.envString" .value -}}
{{- if eq $text "" -}}{{ .default }}{{- else -}}{{ $text | int }}{{- end -}}
{{- end -}}

{{/*
Long enough for the app's own shutdown: the preStop sleep (if any), the drain
(readiness fails while requests are still served), the shutdown deadline for
requests in flight, and 5 s to spare, so the kubelet never kills mid-request.
*/}}
{{- define "todo.backend.terminationGracePeriodSeconds" -}}
{{- $drain := include "todo.configMs" (dict "value" .Values.config.SHUTDOWN_DRAIN_MS "default" 5000) | int -}}
{{- $timeout := include "todo.configMs" (dict "value" .Values.config.SHUTDOWN_TIMEOUT_MS "default" 8000) | int -}}
{{- add (div (add $drain $timeout 999) 1000) 5 .Values.backend.preStopSleepSeconds -}}
{{- end -}}

{{/* The Secret the replicas read: made outside Helm, or by this chart. */}}
{{- define "todo.secretName" -}}
{{- .Values.secrets.existingSecret | default (printf "%s-backend" (include "todo.fullname" .)) -}}
{{- end -}}

{{/* The Secret the migration reads: made outside Helm, or this chart's hook copy. */}}
{{- define "todo.migrationSecretName" -}}
{{- .Values.secrets.existingSecret | default (printf "%s-migration" (include "todo.fullname" .)) -}}
{{- end -}}

{{/*
Either a Secret made outside Helm, or the values to make one; never both
(values beside existingSecret would be silently ignored).
*/}}
{{- define "todo.checkSecrets" -}}
{{- $s := .Values.secrets -}}
{{- $given := list -}}
{{- $missing := list -}}
{{- range $name := list "DATABASE_URL" "REDIS_URL" "AUTH_SECRET" "METRICS_TOKEN" "ASSISTANT_API_KEY" -}}
{{- if index $s $name -}}{{- $given = append $given $name -}}{{- end -}}
{{- end -}}
{{- range $name := list "DATABASE_URL" "REDIS_URL" "AUTH_SECRET" -}}
{{- if not (index $s $name) -}}{{- $missing = append $missing $name -}}{{- end -}}
{{- end -}}
{{- if and $s.existingSecret $given -}}
{{- fail (printf "secrets.existingSecret is set, so secrets.%s would be ignored: keep one or the other" (join ", secrets." $given)) -}}
{{- else if and (not $s.existingSecret) $missing -}}
{{- fail (printf "secrets: set secrets.existingSecret (a Secret made outside Helm with DATABASE_URL, REDIS_URL, AUTH_SECRET and optionally METRICS_TOKEN, ASSISTANT_API_KEY), or the values themselves (missing: secrets.%s)" (join ", secrets." $missing)) -}}
{{- end -}}
{{- end -}}

{{/*
The pod and container hardening every pod of the chart shares: both images
run as 10001 and write only to their emptyDirs.
*/}}
{{- define "todo.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .Values.securityContext.runAsUser }}
runAsGroup: {{ .Values.securityContext.runAsGroup }}
fsGroup: {{ .Values.securityContext.fsGroup }}
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "todo.containerSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .Values.securityContext.runAsUser }}
runAsGroup: {{ .Values.securityContext.runAsGroup }}
readOnlyRootFilesystem: true
allowPrivilegeEscalation: false
capabilities:
  drop: [ALL]
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/*
The native sleep action (no shell in the image needed; beta and on by default
from Kubernetes 1.30). Called with (dict "root" $ "seconds" N "name" "backend").
*/}}
{{- define "todo.preStopSleep" -}}
{{- if gt (int .seconds) 0 -}}
{{- if semverCompare "<1.30.0-0" .root.Capabilities.KubeVersion.Version -}}
{{- fail (printf "%s.preStopSleepSeconds needs Kubernetes 1.30 or later (the preStop sleep action); this cluster is %s" .name .root.Capabilities.KubeVersion.Version) -}}
{{- end -}}
lifecycle:
  preStop:
    sleep:
      seconds: {{ .seconds }}
{{- end -}}
{{- end -}}

{{/*
NetworkPolicy peers from a selector pair: null leaves a selector out (no
namespaceSelector: this namespace only), {} matches everything, as in
Kubernetes. Both null: no peer at all.
*/}}
{{- define "todo.selectorPeer" -}}
{{- $peer := dict -}}
{{- if kindIs "map" .namespaceSelector -}}
{{- $_ := set $peer "namespaceSelector" .namespaceSelector -}}
{{- end -}}
{{- if kindIs "map" .podSelector -}}
{{- $_ := set $peer "podSelector" .podSelector -}}
{{- end -}}
{{- if $peer -}}
{{- list $peer | toYaml -}}
{{- end -}}
{{- end -}}
