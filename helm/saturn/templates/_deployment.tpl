{{/*
One role's Deployment; api and worker differ only in their values and SATURN_ROLES.
Call with (dict "root" $ "role" "api").
*/}}
{{- define "saturn.deployment" -}}
{{- $root := .root }}
{{- $role := .role }}
{{- $v := index $root.Values $role }}
{{- $ctx := dict "root" $root "role" $role }}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "saturn.fullname" $root }}-{{ $role }}
  labels:
    {{- include "saturn.roleLabels" $ctx | nindent 4 }}
spec:
  {{- if not $v.autoscaling.enabled }}
  replicas: {{ $v.replicas }}
  {{- end }}
  revisionHistoryLimit: 5
  selector:
    matchLabels:
      {{- include "saturn.roleSelectorLabels" $ctx | nindent 6 }}
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: 25%
      maxUnavailable: 0
  template:
    metadata:
      labels:
        {{- include "saturn.roleSelectorLabels" $ctx | nindent 8 }}
      annotations:
        # A changed setting or secret rolls the pods.
        checksum/config: {{ include (print $root.Template.BasePath "/configmap.yaml") $root | sha256sum }}
        checksum/secret: {{ include (print $root.Template.BasePath "/secret.yaml") $root | sha256sum }}
        {{- if $root.Values.metrics.podAnnotations }}
        prometheus.io/scrape: "true"
        prometheus.io/port: {{ $root.Values.service.managementPort | quote }}
        prometheus.io/path: /actuator/prometheus
        {{- end }}
        {{- with $v.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      serviceAccountName: {{ include "saturn.serviceAccountName" $root }}
      automountServiceAccountToken: false
      {{- with $root.Values.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      securityContext:
        {{- toYaml $root.Values.podSecurityContext | nindent 8 }}
      terminationGracePeriodSeconds: {{ $v.terminationGracePeriodSeconds }}
      containers:
        - name: saturn
          image: {{ include "saturn.image" $root | quote }}
          imagePullPolicy: {{ $root.Values.image.pullPolicy }}
          securityContext:
            {{- toYaml $root.Values.securityContext | nindent 12 }}
          ports:
            - name: http
              containerPort: {{ $root.Values.service.port }}
              protocol: TCP
            - name: management
              containerPort: {{ $root.Values.service.managementPort }}
              protocol: TCP
          envFrom:
            - configMapRef:
                name: {{ include "saturn.fullname" $root }}
            - secretRef:
                name: {{ include "saturn.secretName" $root }}
          env:
            - name: SATURN_ROLES
              value: {{ $role }}
            {{- if $root.Values.tracing.otlpEndpoint }}
            - name: OTEL_SERVICE_NAME
              value: saturn-{{ $role }}
            {{- end }}
            {{- range $name, $value := $v.extraEnv }}
            - name: {{ $name }}
              value: {{ $value | toString | quote }}
            {{- end }}
          startupProbe:
            httpGet: {path: /health, port: http}
            periodSeconds: {{ $root.Values.probes.startup.periodSeconds }}
            failureThreshold: {{ $root.Values.probes.startup.failureThreshold }}
            timeoutSeconds: {{ $root.Values.probes.startup.timeoutSeconds }}
          livenessProbe:
            httpGet: {path: /health, port: http}
            periodSeconds: {{ $root.Values.probes.liveness.periodSeconds }}
            failureThreshold: {{ $root.Values.probes.liveness.failureThreshold }}
            timeoutSeconds: {{ $root.Values.probes.liveness.timeoutSeconds }}
          readinessProbe:
            httpGet: {path: /ready, port: http}
            periodSeconds: {{ $root.Values.probes.readiness.periodSeconds }}
            failureThreshold: {{ $root.Values.probes.readiness.failureThreshold }}
            timeoutSeconds: {{ $root.Values.probes.readiness.timeoutSeconds }}
          {{- if eq $role "api" }}
          lifecycle:
            # Lets the Service stop sending requests before HTTP starts draining.
            preStop:
              exec:
                command: ["sleep", "5"]
          {{- end }}
          resources:
            {{- toYaml $v.resources | nindent 12 }}
          volumeMounts:
            - name: tmp
              mountPath: /tmp
            - name: data
              mountPath: /var/lib/saturn
            {{- if or (include "saturn.mutualTls" $root) (include "saturn.temporalCa" $root) }}
            - name: temporal-tls
              mountPath: /etc/saturn/temporal-tls
              readOnly: true
            {{- end }}
      volumes:
        - name: tmp
          emptyDir:
            sizeLimit: {{ $v.tmpSizeLimit }}
        - name: data
          {{- if $root.Values.data.existingClaim }}
          persistentVolumeClaim:
            claimName: {{ $root.Values.data.existingClaim }}
          {{- else }}
          emptyDir:
            sizeLimit: {{ $root.Values.data.sizeLimit }}
          {{- end }}
        {{- if or (include "saturn.mutualTls" $root) (include "saturn.temporalCa" $root) }}
        - name: temporal-tls
          secret:
            secretName: {{ include "saturn.temporalTlsSecretName" $root }}
            defaultMode: 0440
        {{- end }}
      {{- with $v.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $v.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $v.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $v.topologySpreadConstraints }}
      topologySpreadConstraints:
        {{- toYaml . | nindent 8 }}
      {{- end }}
{{- end }}
