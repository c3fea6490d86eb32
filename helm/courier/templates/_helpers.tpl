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

{{/*
The topics Job's labels: its pods are not Courier's, so they match none of the release's selectors (Service,
PodDisruptionBudget, NetworkPolicy).
*/}}
{{- define "courier.topicsLabels" -}}
helm.sh/chart: {{ include "courier.chart" . }}
app.kubernetes.io/name: {{ include "courier.name" . }}-topics
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: topics
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
terminationGracePeriodSeconds: Courier's worst case from SIGTERM to exit (docs/guarantees.md, Shutdown), which is
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
kafka.bootstrap.servers kafka.security.protocol kafka.sasl.mechanism kafka.sasl.jaas.config kafka.sasl.login.callback.handler.class kafka.sasl.oauthbearer.token.endpoint.url kafka.sasl.oauthbearer.scope kafka.sasl.oauthbearer.client.credentials.client.id kafka.sasl.oauthbearer.client.credentials.client.secret kafka.ssl.truststore.location kafka.ssl.truststore.type kafka.ssl.truststore.password kafka.ssl.keystore.location kafka.ssl.keystore.type kafka.ssl.keystore.password kafka.ssl.key.password courier.schema-registry.url courier.schema-registry.username courier.schema-registry.password courier.topics.requests courier.topics.results courier.topics.dead-letters courier.topics.partitions courier.group-id courier.delivery.guarantee courier.transactional-id courier.shutdown.drain-timeout courier.commit.timeout courier.admin.port courier.admin.bind courier.admin.token courier.admin.allow-anonymous courier.status.peers courier.log.format
{{- end }}

{{- define "courier.usesSasl" -}}
{{- if has .Values.kafka.securityProtocol (list "SASL_PLAINTEXT" "SASL_SSL") }}true{{ end }}
{{- end }}

{{- define "courier.usesTls" -}}
{{- if and (has .Values.kafka.securityProtocol (list "SSL" "SASL_SSL")) .Values.kafka.tls.existingSecret }}true{{ end }}
{{- end }}

{{- define "courier.usesOAuthBearer" -}}
{{- if and (include "courier.usesSasl" .) (eq .Values.kafka.sasl.mechanism "OAUTHBEARER") }}true{{ end }}
{{- end }}

{{/*
The JAAS login module of the SASL mechanism.
*/}}
{{- define "courier.saslModule" -}}
{{- if eq .Values.kafka.sasl.mechanism "PLAIN" }}org.apache.kafka.common.security.plain.PlainLoginModule
{{- else if eq .Values.kafka.sasl.mechanism "OAUTHBEARER" }}org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule
{{- else }}org.apache.kafka.common.security.scram.ScramLoginModule{{ end }}
{{- end }}

{{/*
The values that cannot work together, refused before anything reaches the cluster.
*/}}
{{- define "courier.validate" -}}
{{- if and (include "courier.usesSasl" .) (not .Values.kafka.sasl.existingSecret) }}
{{- fail (printf "kafka.securityProtocol %s needs kafka.sasl.existingSecret: the Secret with the SASL user name and password (or, for OAUTHBEARER, the client id and secret)" .Values.kafka.securityProtocol) }}
{{- end }}
{{- if and (include "courier.usesOAuthBearer" .) (not .Values.kafka.sasl.oauthbearer.tokenEndpointUrl) }}
{{- fail "kafka.sasl.mechanism OAUTHBEARER needs kafka.sasl.oauthbearer.tokenEndpointUrl: the identity provider's token endpoint" }}
{{- end }}
{{- if and .Values.kafka.tls.keystoreKey (not (has .Values.kafka.securityProtocol (list "SSL" "SASL_SSL"))) }}
{{- fail (printf "kafka.tls.keystoreKey is set but kafka.securityProtocol is %s: a client certificate needs SSL or SASL_SSL" .Values.kafka.securityProtocol) }}
{{- end }}
{{- if and .Values.kafka.tls.keystoreKey (not .Values.kafka.tls.existingSecret) }}
{{- fail "kafka.tls.keystoreKey needs kafka.tls.existingSecret: the Secret that holds the keystore" }}
{{- end }}
{{- if and .Values.schemaRegistry.username (not .Values.schemaRegistry.existingSecret) }}
{{- fail "schemaRegistry.username needs schemaRegistry.existingSecret: the Secret with the registry password" }}
{{- end }}
{{- $reserved := list "POD_NAME" "POD_NAMESPACE" "COURIER_COURIER_STATUS_ADVERTISED_HOST" "COURIER_COURIER_TRANSACTIONAL_ID" "JAVA_TOOL_OPTIONS" }}
{{- range (include "courier.chartClientEnv" . | fromYamlArray) }}
{{- $reserved = append $reserved .name }}
{{- end }}
{{- range .Values.extraEnv }}
{{- if has .name $reserved }}
{{- fail (printf "extraEnv: the chart sets %s itself%s" .name (ternary "; give JVM flags in javaToolOptions" " from its own values" (eq .name "JAVA_TOOL_OPTIONS"))) }}
{{- end }}
{{- end }}
{{- end }}

{{/*
JAVA_TOOL_OPTIONS: javaToolOptions, and for OAUTHBEARER the token endpoint the Kafka client may call (Kafka 4 calls no
URL it is not given in org.apache.kafka.sasl.oauthbearer.allowed.urls).
*/}}
{{- define "courier.javaToolOptions" -}}
{{- $options := list }}
{{- with .Values.javaToolOptions }}{{ $options = append $options . }}{{ end }}
{{- if include "courier.usesOAuthBearer" . }}
{{- $options = append $options (printf "-Dorg.apache.kafka.sasl.oauthbearer.allowed.urls=%s" .Values.kafka.sasl.oauthbearer.tokenEndpointUrl) }}
{{- end }}
{{- join " " $options }}
{{- end }}

{{/*
The environment of every container that runs a courier command: Kafka's and the registry's credentials from existing
Secrets (Kubernetes fills them in; the chart never sees them), JVM flags, and extraEnv.
*/}}
{{- define "courier.clientEnv" -}}
{{- include "courier.chartClientEnv" . }}
{{- with .Values.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/*
courier.clientEnv without extraEnv: the variables the chart sets from its own values.
*/}}
{{- define "courier.chartClientEnv" -}}
{{- if include "courier.usesSasl" . }}
{{- if include "courier.usesOAuthBearer" . }}
- name: COURIER_KAFKA_SASL_OAUTHBEARER_CLIENT_CREDENTIALS_CLIENT_ID
  valueFrom:
    secretKeyRef:
      name: {{ .Values.kafka.sasl.existingSecret }}
      key: {{ .Values.kafka.sasl.oauthbearer.clientIdKey }}
- name: COURIER_KAFKA_SASL_OAUTHBEARER_CLIENT_CREDENTIALS_CLIENT_SECRET
  valueFrom:
    secretKeyRef:
      name: {{ .Values.kafka.sasl.existingSecret }}
      key: {{ .Values.kafka.sasl.oauthbearer.clientSecretKey }}
- name: COURIER_KAFKA_SASL_JAAS_CONFIG
  value: '{{ include "courier.saslModule" . }} required;'
{{- else }}
- name: KAFKA_SASL_USERNAME
  valueFrom:
    secretKeyRef:
      name: {{ .Values.kafka.sasl.existingSecret }}
      key: {{ .Values.kafka.sasl.usernameKey }}
- name: KAFKA_SASL_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ .Values.kafka.sasl.existingSecret }}
      key: {{ .Values.kafka.sasl.passwordKey }}
# Kubernetes fills in the two variables above; the chart never sees the credentials.
- name: COURIER_KAFKA_SASL_JAAS_CONFIG
  value: '{{ include "courier.saslModule" . }} required username="$(KAFKA_SASL_USERNAME)" password="$(KAFKA_SASL_PASSWORD)";'
{{- end }}
{{- end }}
{{- if and (include "courier.usesTls" .) .Values.kafka.tls.truststoreKey }}
- name: COURIER_KAFKA_SSL_TRUSTSTORE_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ .Values.kafka.tls.existingSecret }}
      key: {{ .Values.kafka.tls.truststorePasswordKey }}
{{- end }}
{{- if and (include "courier.usesTls" .) .Values.kafka.tls.keystoreKey }}
- name: COURIER_KAFKA_SSL_KEYSTORE_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ .Values.kafka.tls.existingSecret }}
      key: {{ .Values.kafka.tls.keystorePasswordKey }}
{{- with .Values.kafka.tls.keyPasswordKey }}
- name: COURIER_KAFKA_SSL_KEY_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $.Values.kafka.tls.existingSecret }}
      key: {{ . }}
{{- end }}
{{- end }}
{{- if .Values.schemaRegistry.existingSecret }}
- name: COURIER_COURIER_SCHEMA_REGISTRY_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ .Values.schemaRegistry.existingSecret }}
      key: {{ .Values.schemaRegistry.passwordKey }}
{{- end }}
{{- with (include "courier.javaToolOptions" .) }}
- name: JAVA_TOOL_OPTIONS
  value: {{ . | quote }}
{{- end }}
{{- end }}

{{/*
The files a courier command reads, mounted read-only: the settings, Kafka's TLS stores, the admin token, the targets'
Secrets, and extraVolumeMounts; /tmp for the JVM.
*/}}
{{- define "courier.volumeMounts" -}}
- name: config
  mountPath: /etc/courier/config
  readOnly: true
- name: tmp
  mountPath: /tmp
{{- if include "courier.usesTls" . }}
- name: kafka-tls
  mountPath: /etc/courier/kafka-tls
  readOnly: true
{{- end }}
{{- if .Values.admin.token.existingSecret }}
- name: admin-token
  mountPath: /etc/courier/admin
  readOnly: true
{{- end }}
{{- range $name, $target := .Values.targets }}
{{- if $target.existingSecret }}
- name: target-{{ $name }}
  mountPath: /etc/courier/targets/{{ $name }}
  readOnly: true
{{- end }}
{{- end }}
{{- with .Values.extraVolumeMounts }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/*
The volumes behind courier.volumeMounts; configMap names the ConfigMap that holds courier.properties.
*/}}
{{- define "courier.volumes" -}}
- name: config
  configMap:
    name: {{ .configMap }}
- name: tmp
  emptyDir:
    sizeLimit: {{ .root.Values.tmpVolume.sizeLimit }}
{{- with .root }}
{{- if include "courier.usesTls" . }}
- name: kafka-tls
  secret:
    secretName: {{ .Values.kafka.tls.existingSecret }}
    items:
      {{- with .Values.kafka.tls.truststoreKey }}
      - key: {{ . }}
        path: {{ . }}
      {{- end }}
      {{- with .Values.kafka.tls.keystoreKey }}
      - key: {{ . }}
        path: {{ . }}
      {{- end }}
{{- end }}
{{- if .Values.admin.token.existingSecret }}
- name: admin-token
  secret:
    secretName: {{ .Values.admin.token.existingSecret }}
    items:
      - key: {{ .Values.admin.token.key }}
        path: {{ .Values.admin.token.key }}
{{- end }}
{{- range $name, $target := .Values.targets }}
{{- if $target.existingSecret }}
- name: target-{{ $name }}
  secret:
    secretName: {{ $target.existingSecret }}
{{- end }}
{{- end }}
{{- with .Values.extraVolumes }}
{{ toYaml . }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Courier's settings as a properties file, read with --config: the values above, then targets and settings.
*/}}
{{- define "courier.properties" -}}
kafka.bootstrap.servers={{ .Values.kafka.bootstrapServers }}
{{- if ne .Values.kafka.securityProtocol "PLAINTEXT" }}
kafka.security.protocol={{ .Values.kafka.securityProtocol }}
{{- end }}
{{- if include "courier.usesSasl" . }}
kafka.sasl.mechanism={{ .Values.kafka.sasl.mechanism }}
{{- end }}
{{- if include "courier.usesOAuthBearer" . }}
kafka.sasl.login.callback.handler.class=org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginCallbackHandler
kafka.sasl.oauthbearer.token.endpoint.url={{ .Values.kafka.sasl.oauthbearer.tokenEndpointUrl }}
{{- with .Values.kafka.sasl.oauthbearer.scope }}
kafka.sasl.oauthbearer.scope={{ . }}
{{- end }}
{{- end }}
{{- if and (include "courier.usesTls" .) .Values.kafka.tls.truststoreKey }}
kafka.ssl.truststore.location=/etc/courier/kafka-tls/{{ .Values.kafka.tls.truststoreKey }}
kafka.ssl.truststore.type=PKCS12
{{- end }}
{{- if and (include "courier.usesTls" .) .Values.kafka.tls.keystoreKey }}
# The client certificate that authenticates Courier to Kafka (mutual TLS).
kafka.ssl.keystore.location=/etc/courier/kafka-tls/{{ .Values.kafka.tls.keystoreKey }}
kafka.ssl.keystore.type=PKCS12
{{- end }}
courier.schema-registry.url={{ .Values.schemaRegistry.url }}
{{- with .Values.schemaRegistry.username }}
courier.schema-registry.username={{ . }}
{{- end }}
courier.topics.requests={{ .Values.topics.requests }}
courier.topics.results={{ .Values.topics.results }}
courier.topics.dead-letters={{ .Values.topics.deadLetters }}
courier.topics.status={{ .Values.topics.status }}
courier.topics.partitions={{ .Values.topics.partitions }}
courier.group-id={{ .Values.groupId }}
courier.delivery.guarantee={{ .Values.delivery.guarantee }}
courier.shutdown.drain-timeout={{ .Values.shutdown.drainTimeoutSeconds }}s
courier.commit.timeout={{ .Values.commit.timeoutSeconds }}s
courier.admin.port={{ .Values.admin.port }}
courier.admin.bind={{ .Values.admin.bind }}
{{- if .Values.admin.token.existingSecret }}
courier.admin.token=${file:/etc/courier/admin/{{ .Values.admin.token.key }}}
{{- else }}
# No admin token: the NetworkPolicy decides who reaches the admin port.
courier.admin.allow-anonymous=true
{{- end }}
courier.status.peers={{ .Values.status.peers }}
courier.log.format={{ .Values.log.format }}
{{- range $name, $target := .Values.targets }}
courier.targets.{{ $name }}.base-url={{ $target.baseUrl }}
{{- with $target.auth }}
courier.targets.{{ $name }}.auth={{ . }}
{{- end }}
{{- if $target.existingSecret }}
{{- with $target.secretKey }}
courier.targets.{{ $name }}.auth-secret=${file:/etc/courier/targets/{{ $name }}/{{ . }}}
{{- end }}
{{- with $target.caKey }}
courier.targets.{{ $name }}.ca-file=/etc/courier/targets/{{ $name }}/{{ . }}
{{- end }}
{{- with $target.clientCertKey }}
courier.targets.{{ $name }}.client-cert-file=/etc/courier/targets/{{ $name }}/{{ . }}
{{- end }}
{{- with $target.clientKeyKey }}
courier.targets.{{ $name }}.client-key-file=/etc/courier/targets/{{ $name }}/{{ . }}
{{- end }}
{{- end }}
{{- range $key, $value := $target.settings }}
courier.targets.{{ $name }}.{{ $key }}={{ $value }}
{{- end }}
{{- end }}
{{- range $key, $value := .Values.settings }}
{{ $key }}={{ $value }}
{{- end }}
{{- end }}
