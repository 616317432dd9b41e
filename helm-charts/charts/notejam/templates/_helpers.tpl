{{/*
Names, labels and shared fragments of the notejam chart.
*/}}

{{- define "notejam.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Release-scoped name; the release name alone when it already contains the chart name. */}}
{{- define "notejam.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "notejam.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels on every object. */}}
{{- define "notejam.labels" -}}
helm.sh/chart: {{ include "notejam.chart" . }}
app.kubernetes.io/name: {{ include "notejam.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ include "notejam.imageVersion" . | trunc 63 | trimSuffix "-" | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: notejam
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Selector of the web pods. The component label keeps the migration Job and the test pod out of it. */}}
{{- define "notejam.selectorLabels" -}}
app.kubernetes.io/name: {{ include "notejam.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: web
{{- end -}}

{{- define "notejam.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "notejam.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* Tag or digest of the image, for the version label. */}}
{{- define "notejam.imageVersion" -}}
{{- if .Values.image.digest -}}
{{- .Values.image.digest | replace "sha256:" "" | trunc 12 -}}
{{- else -}}
{{- default .Chart.AppVersion .Values.image.tag -}}
{{- end -}}
{{- end -}}

{{/* Image reference: registry/repository@digest or registry/repository:tag; never "latest". */}}
{{- define "notejam.image" -}}
{{- $repository := .Values.image.repository -}}
{{- if .Values.image.registry -}}
{{- $repository = printf "%s/%s" .Values.image.registry .Values.image.repository -}}
{{- end -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" $repository .Values.image.digest -}}
{{- else -}}
{{- $tag := default .Chart.AppVersion .Values.image.tag -}}
{{- if eq $tag "latest" -}}
{{- fail "image.tag must not be \"latest\": pin a version, a git sha or image.digest" -}}
{{- end -}}
{{- printf "%s:%s" $repository $tag -}}
{{- end -}}
{{- end -}}

{{/* Name of the Secret created by the ExternalSecret for the app pods. */}}
{{- define "notejam.externalSecretName" -}}
{{- include "notejam.fullname" . -}}
{{- end -}}

{{/* Name of the Secret created by the hook-scoped ExternalSecret for the migration Job. */}}
{{- define "notejam.migrationSecretName" -}}
{{- printf "%s-migrate" (include "notejam.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Secret that holds env var $name unless its entry names one: the ExternalSecret target or secrets.existingSecret. */}}
{{- define "notejam.defaultSecretName" -}}
{{- if .Values.secrets.externalSecret.enabled -}}
{{- include "notejam.externalSecretName" . -}}
{{- else -}}
{{- .Values.secrets.existingSecret -}}
{{- end -}}
{{- end -}}

{{/*
Env entries that read secret settings from Secrets (never values).
Call with (dict "root" $ "only" (list ...) "secretName" "override").
*/}}
{{- define "notejam.secretEnv" -}}
{{- $root := .root -}}
{{- range $name, $ref := $root.Values.secrets.env }}
{{- if or (not $.only) (has $name $.only) }}
{{- $secretName := $ref.secretName | default $.secretName | default (include "notejam.defaultSecretName" $root) }}
{{- if not $secretName }}
{{- fail (printf "secrets.env.%s: no Secret to read it from; set secrets.existingSecret, secrets.externalSecret.enabled or secrets.env.%s.secretName" $name $name) }}
{{- end }}
- name: {{ $name }}
  valueFrom:
    secretKeyRef:
      name: {{ $secretName }}
      key: {{ $ref.key }}
      {{- if $ref.optional }}
      optional: true
      {{- end }}
{{- end }}
{{- end }}
{{- end -}}

{{/* Pod security context shared by the app, the migration Job and the test pod. */}}
{{- define "notejam.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .Values.securityContext.runAsUser }}
runAsGroup: {{ .Values.securityContext.runAsGroup }}
fsGroup: {{ .Values.securityContext.runAsGroup }}
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* Container security context: no root, no privilege escalation, no capabilities, read-only root file system. */}}
{{- define "notejam.containerSecurityContext" -}}
runAsNonRoot: true
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
privileged: false
capabilities:
  drop: ["ALL"]
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* Consistency checks that a JSON schema cannot express. */}}
{{- define "notejam.validate" -}}
{{- $g := .Values.gracefulShutdown -}}
{{- if lt (int $g.terminationGracePeriodSeconds) (add $g.preStopSleepSeconds $g.appShutdownTimeoutSeconds 5 | int) -}}
{{- fail (printf "gracefulShutdown.terminationGracePeriodSeconds (%d) must be at least preStopSleepSeconds + appShutdownTimeoutSeconds + 5 (%d) so requests drain before SIGKILL" (int $g.terminationGracePeriodSeconds) (add $g.preStopSleepSeconds $g.appShutdownTimeoutSeconds 5 | int)) -}}
{{- end -}}
{{- if and .Values.autoscaling.enabled (lt (int .Values.autoscaling.maxReplicas) (int .Values.autoscaling.minReplicas)) -}}
{{- fail (printf "autoscaling.maxReplicas (%d) must not be lower than autoscaling.minReplicas (%d)" (int .Values.autoscaling.maxReplicas) (int .Values.autoscaling.minReplicas)) -}}
{{- end -}}
{{- if and .Values.secrets.externalSecret.enabled .Values.secrets.existingSecret -}}
{{- fail "set either secrets.existingSecret or secrets.externalSecret.enabled, not both" -}}
{{- end -}}
{{- if not .Values.config.database.url -}}
{{- fail "config.database.url is required (jdbc:postgresql://host:5432/notejam)" -}}
{{- end -}}
{{- if not .Values.config.redis.host -}}
{{- fail "config.redis.host is required" -}}
{{- end -}}
{{- /* IAM auth: tokens replace the passwords, so no password may still be read from a Secret. */ -}}
{{- $db := .Values.config.database -}}
{{- if $db.iamAuth -}}
{{- if or (not $db.username) (not .Values.config.awsRegion) -}}
{{- fail "config.database.iamAuth needs config.database.username (the app's database role) and config.awsRegion" -}}
{{- end -}}
{{- range $name := list "SPRING_DATASOURCE_USERNAME" "SPRING_DATASOURCE_PASSWORD" -}}
{{- if index $.Values.secrets.env $name -}}
{{- fail (printf "config.database.iamAuth: remove secrets.env.%s (set it to null): the app logs in with IAM tokens as config.database.username" $name) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- $redis := .Values.config.redis -}}
{{- if $redis.iamAuth -}}
{{- if or (not $redis.iamUserId) (not $redis.replicationGroupId) (not $redis.ssl) (not .Values.config.awsRegion) -}}
{{- fail "config.redis.iamAuth needs config.redis.iamUserId, config.redis.replicationGroupId, config.redis.ssl=true and config.awsRegion" -}}
{{- end -}}
{{- if index .Values.secrets.env "SPRING_DATA_REDIS_PASSWORD" -}}
{{- fail "config.redis.iamAuth: remove secrets.env.SPRING_DATA_REDIS_PASSWORD (set it to null): the app authenticates with IAM tokens" -}}
{{- end -}}
{{- end -}}
{{- $roles := .Values.databaseRoles -}}
{{- if and $roles.enabled $db.iamAuth (ne $roles.appRole $db.username) -}}
{{- fail (printf "databaseRoles.appRole (%s) must be the role the app logs in as, config.database.username (%s)" $roles.appRole $db.username) -}}
{{- end -}}
{{- end -}}

{{/* Non-secret settings (12-factor env) shared by the app ConfigMap and the migration hook ConfigMap. */}}
{{- define "notejam.configData" -}}
SPRING_DATASOURCE_URL: {{ .Values.config.database.url | quote }}
SPRING_DATA_REDIS_HOST: {{ .Values.config.redis.host | quote }}
SPRING_DATA_REDIS_PORT: {{ .Values.config.redis.port | quote }}
SPRING_DATA_REDIS_SSL_ENABLED: {{ .Values.config.redis.ssl | quote }}
{{- with .Values.config.awsRegion }}
AWS_REGION: {{ . | quote }}
{{- end }}
{{- if .Values.config.database.iamAuth }}
NOTEJAM_DATABASE_IAM_AUTH: "true"
SPRING_DATASOURCE_USERNAME: {{ .Values.config.database.username | quote }}
{{- end }}
{{- if .Values.config.redis.iamAuth }}
NOTEJAM_REDIS_IAM_AUTH: "true"
NOTEJAM_REDIS_IAM_USER_ID: {{ .Values.config.redis.iamUserId | quote }}
NOTEJAM_REDIS_REPLICATION_GROUP_ID: {{ .Values.config.redis.replicationGroupId | quote }}
{{- end }}
{{- if .Values.config.mail.host }}
SPRING_MAIL_HOST: {{ .Values.config.mail.host | quote }}
SPRING_MAIL_PORT: {{ .Values.config.mail.port | quote }}
{{- end }}
NOTEJAM_MAIL_FROM: {{ .Values.config.mail.from | quote }}
NOTEJAM_BASE_URL: {{ .Values.config.baseUrl | quote }}
SERVER_FORWARD_HEADERS_STRATEGY: "native"
SERVER_TOMCAT_REMOTEIP_INTERNAL_PROXIES: {{ .Values.config.trustedProxies | quote }}
{{- with .Values.config.timeouts }}
{{- if ge (mul 2 (int .healthCheckMs)) (mul 1000 (int $.Values.probes.readiness.timeoutSeconds)) }}
{{- fail "config.timeouts.healthCheckMs: the two readiness checks (database, Redis) must end within probes.readiness.timeoutSeconds" }}
{{- end }}
SPRING_DATASOURCE_HIKARI_CONNECTIONTIMEOUT: {{ .databasePoolMs | quote }}
SPRING_DATASOURCE_HIKARI_VALIDATIONTIMEOUT: {{ .databaseValidationMs | quote }}
NOTEJAM_TIMEOUTS_DATABASE_CONNECT: {{ .databaseConnect | quote }}
NOTEJAM_TIMEOUTS_DATABASE_SOCKET: {{ .databaseSocket | quote }}
SPRING_DATA_REDIS_TIMEOUT: {{ .redisCommand | quote }}
SPRING_DATA_REDIS_CONNECTTIMEOUT: {{ .redisConnect | quote }}
NOTEJAM_TIMEOUTS_HEALTH_CHECK: {{ printf "%dms" (int .healthCheckMs) | quote }}
{{- end }}
SPRING_LIFECYCLE_TIMEOUTPERSHUTDOWNPHASE: {{ printf "%ds" (int .Values.gracefulShutdown.appShutdownTimeoutSeconds) | quote }}
JAVA_TOOL_OPTIONS: {{ printf "-XX:MaxRAMPercentage=%v %s" .Values.jvm.maxRamPercentage .Values.jvm.extraOptions | trim | quote }}
{{- range $name, $value := .Values.config.extraEnv }}
{{ $name }}: {{ $value | toString | quote }}
{{- end }}
{{- end -}}

{{/*
An ExternalSecret (External Secrets Operator) that copies remote AWS Secrets Manager fields into a Secret.
Call with (dict "root" $ "name" "target-and-object-name" "keys" (list secret keys) "hook" bool).
*/}}
{{- define "notejam.externalSecret" -}}
{{- $root := .root -}}
{{- $es := $root.Values.secrets.externalSecret -}}
{{- range $name, $ref := $root.Values.secrets.env }}
{{- if and (not $ref.secretName) (not $ref.optional) (not (hasKey $es.data $ref.key)) }}
{{- fail (printf "secrets.externalSecret.data has no entry for key %q that secrets.env.%s reads" $ref.key $name) }}
{{- end }}
{{- end }}
apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata:
  name: {{ .name }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "notejam.labels" $root | nindent 4 }}
    app.kubernetes.io/component: {{ ternary "migration" "web" .hook }}
  {{- if .hook }}
  annotations:
    {{- include "notejam.migrationHookAnnotations" (dict "weight" "-10") | nindent 4 }}
  {{- end }}
spec:
  refreshInterval: {{ $es.refreshInterval | quote }}
  secretStoreRef:
    kind: {{ $es.secretStoreRef.kind }}
    name: {{ $es.secretStoreRef.name }}
  target:
    name: {{ .name }}
    # The Secret lives and dies with this ExternalSecret.
    creationPolicy: Owner
  data:
    {{- range $key := .keys }}
    {{- $remote := index $es.data $key }}
    - secretKey: {{ $key }}
      remoteRef:
        key: {{ $remote.key | quote }}
        {{- with $remote.property }}
        property: {{ . | quote }}
        {{- end }}
    {{- end }}
{{- end -}}

{{/* Hook annotations of the migration step; support objects get a lower weight than the Job. */}}
{{- define "notejam.migrationHookAnnotations" -}}
helm.sh/hook: pre-install,pre-upgrade
helm.sh/hook-weight: {{ .weight | quote }}
helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded
{{- end -}}

{{/* Labels of the migration pods (outside the web selector). */}}
{{- define "notejam.migrationLabels" -}}
app.kubernetes.io/name: {{ include "notejam.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: migration
{{- end -}}

{{/* Labels of the role-provisioning hook pods (outside the web selector). */}}
{{- define "notejam.databaseRolesLabels" -}}
app.kubernetes.io/name: {{ include "notejam.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: database-roles
{{- end -}}

{{/* Labels of the helm test pod (outside the web selector). */}}
{{- define "notejam.testLabels" -}}
app.kubernetes.io/name: {{ include "notejam.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: test
{{- end -}}

{{/* Egress rules: DNS plus the named targets of networkPolicy.egress that have peers. */}}
{{- define "notejam.egressRules" -}}
{{- with .np.dnsTo }}
- to:
    {{- toYaml . | nindent 4 }}
  ports:
    - port: 53
      protocol: UDP
    - port: 53
      protocol: TCP
{{- end }}
{{- range $target := .targets }}
{{- $rule := index $.np.egress $target }}
{{- with $rule.to }}
- to:
    {{- toYaml . | nindent 4 }}
  ports:
    - port: {{ $rule.port }}
      protocol: TCP
{{- end }}
{{- end }}
{{- end -}}
