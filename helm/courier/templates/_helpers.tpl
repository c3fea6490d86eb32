{{/*
The chart's name, cut to the 63 characters Kubernetes allows in a name.
*/}}
{{- define "courier.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The release's full name: the release name, followed by the chart's name unless the release name holds it already.
*/}}
{{- define "courier.fullname" -}}
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

{{- define "courier.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "courier.selectorLabels" -}}
app.kubernetes.io/name: {{ include "courier.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "courier.labels" -}}
helm.sh/chart: {{ include "courier.chart" . }}
{{ include "courier.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: processor
app.kubernetes.io/part-of: courier
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "courier.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "courier.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "courier.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/*
terminationGracePeriodSeconds: Courier's worst case from SIGTERM to exit (README, Shutdown), which is
max(drain timeout, commit timeout) + commit timeout + 8 s, and 2 s for the JVM to exit. 30 with the defaults.
*/}}
{{- define "courier.gracePeriodSeconds" -}}
{{- $drain := int .Values.shutdown.drainTimeoutSeconds }}
{{- $commit := int .Values.commit.timeoutSeconds }}
{{- add (max $drain $commit) $commit 8 2 }}
{{- end }}

{{/*
The autoscaler's ceiling: autoscaling.keda.maxReplicas, or the requests topic's partition count when it is 0.
*/}}
{{- define "courier.maxReplicas" -}}
{{- $partitions := int .Values.topics.partitions }}
{{- $max := int .Values.autoscaling.keda.maxReplicas }}
{{- if gt $max $partitions }}
{{- fail (printf "autoscaling.keda.maxReplicas (%d) exceeds topics.partitions (%d): pods beyond the partition count get no work" $max $partitions) }}
{{- end }}
{{- if eq $max 0 }}{{ $partitions }}{{ else }}{{ $max }}{{ end }}
{{- end }}

{{/*
Settings the chart writes from its own values; settings may not set them again.
*/}}
{{- define "courier.ownedSettings" -}}
kafka.bootstrap.servers kafka.security.protocol kafka.sasl.mechanism kafka.sasl.jaas.config kafka.ssl.truststore.location kafka.ssl.truststore.type kafka.ssl.truststore.password courier.schema-registry.url courier.schema-registry.username courier.schema-registry.password courier.topics.requests courier.topics.results courier.topics.dead-letters courier.topics.partitions courier.group-id courier.delivery.guarantee courier.transactional-id courier.shutdown.drain-timeout courier.commit.timeout courier.admin.port courier.admin.bind courier.admin.token courier.admin.allow-anonymous courier.status.peers courier.log.format
{{- end }}

{{- define "courier.usesSasl" -}}
{{- if has .Values.kafka.securityProtocol (list "SASL_PLAINTEXT" "SASL_SSL") }}true{{ end }}
{{- end }}

{{- define "courier.usesTls" -}}
{{- if and (has .Values.kafka.securityProtocol (list "SSL" "SASL_SSL")) .Values.kafka.tls.existingSecret }}true{{ end }}
{{- end }}

{{/*
The JAAS login module of the SASL mechanism.
*/}}
{{- define "courier.saslModule" -}}
{{- if eq .Values.kafka.sasl.mechanism "PLAIN" }}org.apache.kafka.common.security.plain.PlainLoginModule{{ else }}org.apache.kafka.common.security.scram.ScramLoginModule{{ end }}
{{- end }}
