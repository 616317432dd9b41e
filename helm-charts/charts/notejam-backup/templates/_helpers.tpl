{{/*
Names, labels and the shared CronJob template of the notejam-backup chart.
*/}}

{{- define "notejam-backup.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Kept at 40 characters so that "<fullname>-predeploy" stays within the 52 characters a CronJob name may have. */}}
{{- define "notejam-backup.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "notejam-backup.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "notejam-backup.labels" -}}
helm.sh/chart: {{ include "notejam-backup.chart" . }}
app.kubernetes.io/name: {{ include "notejam-backup.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ include "notejam-backup.imageVersion" . | trunc 63 | trimSuffix "-" | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: notejam
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{- define "notejam-backup.selectorLabels" -}}
app.kubernetes.io/name: {{ include "notejam-backup.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "notejam-backup.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "notejam-backup.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "notejam-backup.imageVersion" -}}
{{- if .Values.image.digest -}}
{{- .Values.image.digest | replace "sha256:" "" | trunc 12 -}}
{{- else -}}
{{- default .Chart.AppVersion .Values.image.tag -}}
{{- end -}}
{{- end -}}

{{- define "notejam-backup.image" -}}
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

{{- define "notejam-backup.defaultSecretName" -}}
{{- if .Values.secrets.externalSecret.enabled -}}
{{- include "notejam-backup.fullname" . -}}
{{- else -}}
{{- .Values.secrets.existingSecret -}}
{{- end -}}
{{- end -}}

{{- define "notejam-backup.validate" -}}
{{- if and .Values.secrets.externalSecret.enabled .Values.secrets.existingSecret -}}
{{- fail "set either secrets.existingSecret or secrets.externalSecret.enabled, not both" -}}
{{- end -}}
{{- if hasKey .Values.secrets.env "BACKUP_ENCRYPTION_KEY" -}}
{{- fail "set the client-side key with encryption.keySecret, not secrets.env.BACKUP_ENCRYPTION_KEY" -}}
{{- end -}}
{{- if and (not .Values.encryption.kmsKeyArn) (not (.Values.encryption.keySecret.name | default (include "notejam-backup.defaultSecretName" .))) -}}
{{- fail "backups must be encrypted: set encryption.kmsKeyArn (AWS KMS) or a Secret for encryption.keySecret" -}}
{{- end -}}
{{- end -}}

{{/*
One CronJob of the chart; scheduled, verify, manual and predeploy runs all come from here.
Call with (dict "root" $ "suffix" "scheduled" "schedule" "..." "suspend" bool "deadline" 3600 "args" (list ...) "component" "backup").
*/}}
{{- define "notejam-backup.cronJob" -}}
{{- $root := .root -}}
{{- $v := $root.Values -}}
{{- $workDir := and .restoreWorkDir $v.restoreWorkDir.enabled -}}
{{- $workDirSize := printf "%dGi" (int $v.restoreWorkDir.sizeGi) -}}
{{- $ephemeralStorage := $v.resources.ephemeralStorage -}}
{{- if and $workDir (eq $v.restoreWorkDir.type "emptyDir") -}}
{{- /* an emptyDir lives on the node's disk: the pod's ephemeral-storage must hold it too, or the kubelet evicts the pod */ -}}
{{- if not (regexMatch "^[0-9]+Gi$" $ephemeralStorage) -}}
{{- fail (printf "restoreWorkDir.type emptyDir: resources.ephemeralStorage must be whole Gi (e.g. 2Gi) to add the volume's %s to it, got %s" $workDirSize $ephemeralStorage) -}}
{{- end -}}
{{- $ephemeralStorage = printf "%dGi" (add (atoi (trimSuffix "Gi" $ephemeralStorage)) (int $v.restoreWorkDir.sizeGi)) -}}
{{- end -}}
apiVersion: batch/v1
kind: CronJob
metadata:
  name: {{ printf "%s-%s" (include "notejam-backup.fullname" $root) .suffix }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "notejam-backup.labels" $root | nindent 4 }}
    app.kubernetes.io/component: {{ .component }}
    notejam.dev/backup-trigger: {{ .suffix }}
spec:
  schedule: {{ .schedule | quote }}
  timeZone: {{ $v.timeZone | quote }}
  suspend: {{ .suspend }}
  # Never two runs at once: a slow backup is not overtaken by the next one.
  concurrencyPolicy: Forbid
  startingDeadlineSeconds: {{ $v.startingDeadlineSeconds }}
  successfulJobsHistoryLimit: {{ $v.successfulJobsHistoryLimit }}
  failedJobsHistoryLimit: {{ $v.failedJobsHistoryLimit }}
  jobTemplate:
    metadata:
      labels:
        {{- include "notejam-backup.selectorLabels" $root | nindent 8 }}
        app.kubernetes.io/component: {{ .component }}
        notejam.dev/backup-trigger: {{ .suffix }}
    spec:
      backoffLimit: {{ $v.backoffLimit }}
      activeDeadlineSeconds: {{ .deadline }}
      template:
        metadata:
          labels:
            {{- include "notejam-backup.labels" $root | nindent 12 }}
            app.kubernetes.io/component: {{ .component }}
            notejam.dev/backup-trigger: {{ .suffix }}
        spec:
          restartPolicy: Never
          serviceAccountName: {{ include "notejam-backup.serviceAccountName" $root }}
          # IRSA mounts its own web-identity token; the Kubernetes API token is not needed.
          automountServiceAccountToken: false
          enableServiceLinks: false
          {{- with $v.imagePullSecrets }}
          imagePullSecrets:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          securityContext:
            runAsNonRoot: true
            runAsUser: {{ $v.securityContext.runAsUser }}
            runAsGroup: {{ $v.securityContext.runAsGroup }}
            fsGroup: {{ $v.securityContext.runAsGroup }}
            seccompProfile:
              type: RuntimeDefault
          {{- with $v.nodeSelector }}
          nodeSelector:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          {{- with $v.tolerations }}
          tolerations:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          {{- with $v.affinity }}
          affinity:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          containers:
            - name: {{ .component }}
              image: {{ include "notejam-backup.image" $root | quote }}
              imagePullPolicy: {{ $v.image.pullPolicy }}
              args:
                {{- toYaml .args | nindent 16 }}
              envFrom:
                - configMapRef:
                    name: {{ include "notejam-backup.fullname" $root }}
              env:
                {{- range $name, $ref := $v.secrets.env }}
                {{- $secretName := $ref.secretName | default (include "notejam-backup.defaultSecretName" $root) }}
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
                {{- if not $v.encryption.kmsKeyArn }}
                # No KMS: the client-side key comes from a Secret (DESIGN section 8).
                - name: BACKUP_ENCRYPTION_KEY
                  valueFrom:
                    secretKeyRef:
                      name: {{ $v.encryption.keySecret.name | default (include "notejam-backup.defaultSecretName" $root) }}
                      key: {{ $v.encryption.keySecret.key }}
                {{- end }}
                {{- if $workDir }}
                - name: BACKUP_WORK_DIR
                  value: {{ $v.restoreWorkDir.mountPath | quote }}
                {{- end }}
              securityContext:
                runAsNonRoot: true
                allowPrivilegeEscalation: false
                readOnlyRootFilesystem: true
                privileged: false
                capabilities:
                  drop: ["ALL"]
                seccompProfile:
                  type: RuntimeDefault
              resources:
                requests:
                  cpu: {{ $v.resources.cpu | quote }}
                  memory: {{ $v.resources.memory | quote }}
                  ephemeral-storage: {{ $ephemeralStorage | quote }}
                limits:
                  memory: {{ $v.resources.memory | quote }}
                  ephemeral-storage: {{ $ephemeralStorage | quote }}
              volumeMounts:
                - name: tmp
                  mountPath: /tmp
                {{- if $workDir }}
                - name: restore-work
                  mountPath: {{ $v.restoreWorkDir.mountPath }}
                {{- end }}
          volumes:
            - name: tmp
              emptyDir:
                sizeLimit: {{ $v.tmpSizeLimit }}
            {{- if $workDir }}
            - name: restore-work
              {{- if eq $v.restoreWorkDir.type "emptyDir" }}
              emptyDir:
                sizeLimit: {{ $workDirSize }}
              {{- else }}
              ephemeral:
                volumeClaimTemplate:
                  metadata:
                    labels:
                      {{- include "notejam-backup.selectorLabels" $root | nindent 22 }}
                  spec:
                    accessModes: ["ReadWriteOnce"]
                    {{- with $v.restoreWorkDir.storageClassName }}
                    storageClassName: {{ . }}
                    {{- end }}
                    resources:
                      requests:
                        storage: {{ $workDirSize }}
              {{- end }}
            {{- end }}
{{- end -}}
