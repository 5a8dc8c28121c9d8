# The images of Lazarus, from one build of the sources:
#   docker build --target worker      -t lazarus/worker .
#   docker build --target coordinator -t lazarus/coordinator .
#   docker build --target fleet       -t lazarus/fleet-sim .
# docker compose builds all three (docker-compose.yml). With BuildKit the Maven repository is kept between builds.

FROM eclipse-temurin:25-jdk AS build
WORKDIR /src
COPY . .
# The wrapper pins Maven; the cache mount keeps it and the dependencies out of the image and across builds.
# Behind a TLS-intercepting proxy, trust its CA for this step only: --secret id=build_ca,src=proxy-ca.pem
RUN --mount=type=cache,target=/root/.m2 --mount=type=secret,id=build_ca \
    if [ -s /run/secrets/build_ca ]; then \
      cp "$JAVA_HOME/lib/security/cacerts" /tmp/build-ca.p12 2>/dev/null || true; \
      keytool -importcert -noprompt -alias build-ca -file /run/secrets/build_ca \
        -keystore /tmp/build-ca.p12 -storepass changeit >/dev/null; \
      export CURL_CA_BUNDLE=/run/secrets/build_ca \
        MAVEN_OPTS="-Djavax.net.ssl.trustStore=/tmp/build-ca.p12 -Djavax.net.ssl.trustStorePassword=changeit"; \
    fi; \
    ./mvnw -B -q -Dmaven.test.skip=true -Dlazarus.aot.skip -pl worker,coordinator,fleet-sim -am package
# The worker and the coordinator run unpacked (the application's classes and lib/ as plain jars), which is what an AOT
# cache needs. The build's own cache is of no use here: another JVM, other paths (-Dlazarus.aot.skip above).
RUN for module in worker coordinator; do \
      java -Djarmode=tools -jar $module/target/lazarus-$module.jar extract --destination /out/$module \
        --application-filename lazarus.jar || exit 1; \
    done

FROM eclipse-temurin:25-jre AS runtime
# A user of its own, with a writable home: the coordinator's default registry lives under ~/.lazarus. /files is where
# compose mounts the file store of uploads (a named volume copies this owner).
RUN groupadd --system --gid 10001 lazarus \
 && useradd --system --uid 10001 --gid lazarus --create-home --home-dir /home/lazarus --shell /usr/sbin/nologin lazarus \
 && install -d -o lazarus -g lazarus /files
COPY docker/entrypoint.sh /usr/local/bin/lazarus-entrypoint
WORKDIR /home/lazarus
# Heap from the container's memory limit; an OutOfMemoryError ends the process so the orchestrator restarts it.
ENV JAVA_OPTS="-XX:MaxRAMPercentage=75 -XX:InitialRAMPercentage=25 -XX:+ExitOnOutOfMemoryError"
USER 10001:10001
ENTRYPOINT ["/usr/local/bin/lazarus-entrypoint"]

FROM runtime AS worker
COPY --from=build /out/worker/ /app/
# A worker's memory is its sessions: the serial collector (no G1 remembered sets), compact object headers and the quick
# JIT tier alone (no optimising compiler's arenas and code) leave about 150 MiB to an idle worker instead of 210, for
# the same CPU per node once warm (README "Measured"). Before the training run: the cache is only good for these flags.
ENV JAVA_OPTS="$JAVA_OPTS -XX:+UseSerialGC -XX:+UseCompactObjectHeaders -XX:TieredStopAtLevel=1"
# The JDK's AOT cache of the classes a start loads and links, from a training start here, where it runs: a cache is
# only good for the same JVM and the same class path. The training run stops after the Spring context's refresh, before
# anything connects: no broker, and a throwaway SSH key and known_hosts. Read-only for the user the image runs as.
USER root
RUN mkdir /tmp/aot-training && cd /tmp/aot-training \
 && openssl ecparam -name prime256v1 -genkey -noout -out id_ecdsa 2>/dev/null && : > known_hosts \
 && LAZARUS_SSH_IDENTITY_FILE=$PWD/id_ecdsa LAZARUS_SSH_KNOWN_HOSTS=$PWD/known_hosts \
    LAZARUS_TRUST_TRUSTED_KEYS=$PWD/trusted-keys LAZARUS_FILES_ROOT=$PWD/files \
    java $JAVA_OPTS -XX:AOTCacheOutput=/app/lazarus.aot -Xlog:aot=error,cds=error -Dspring.context.exit=onRefresh \
      -jar /app/lazarus.jar >training.log 2>&1 || { cat training.log; exit 1; } \
 && chmod 0644 /app/lazarus.aot && cd / && rm -rf /tmp/aot-training
USER 10001:10001
# Host keys are checked against a known_hosts the operator mounts here (a compose config or secret, a Kubernetes
# ConfigMap), never learned afresh in the container's own file at every restart: without the mount the worker does not
# start. accept-new or off only when set explicitly (README "Host-key records").
ENV LAZARUS_SSH_HOST_KEY_POLICY=strict \
    LAZARUS_SSH_KNOWN_HOSTS=/etc/lazarus/known_hosts
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=90s --retries=3 \
  CMD curl -fsS "http://127.0.0.1:${SERVER_PORT:-8080}/actuator/health/readiness" >/dev/null || exit 1

FROM runtime AS coordinator
COPY --from=build /out/coordinator/ /app/
USER root
# `lazarus run ...` in CI jobs that use this image (ci/)
RUN ln -s lazarus-entrypoint /usr/local/bin/lazarus
# Three AOT caches trained here, as ./lazarus has them (README "Containers and compose"): lazarus.aot from a command's
# start up to its Spring context's refresh (no broker, a throwaway registry; read as a run's command line, since a
# command line builds the options of the command it names only), lazarus-help.aot from --help, which needs a tenth of
# the classes, and lazarus-served.aot from a run handed to a service, which starts no Spring context (its service a
# loopback port where nothing listens: refused, exit 2, before a byte is sent). Read-only for the user the image runs as.
RUN mkdir /tmp/aot-training && cd /tmp/aot-training \
 && java $JAVA_OPTS -XX:AOTCacheOutput=/app/lazarus.aot -Xlog:aot=error,cds=error -Dspring.context.exit=onRefresh \
      -Dlazarus.registry.directory=$PWD -Dlazarus.broker.credentials-directory=$PWD \
      -jar /app/lazarus.jar run --inventory=aot-training --script=aot-training >training.log 2>&1 \
      || { cat training.log; exit 1; } \
 && java $JAVA_OPTS -XX:AOTCacheOutput=/app/lazarus-help.aot -Xlog:aot=error,cds=error \
      -jar /app/lazarus.jar --help >training.log 2>&1 || { cat training.log; exit 1; } \
 && printf 'root@127.0.0.1:2222 name=aot-training\n' >inventory && printf 'echo trained\n' >install.sh \
 && { java $JAVA_OPTS -XX:AOTCacheOutput=/app/lazarus-served.aot -Xlog:aot=error,cds=error \
        -Dlazarus.service.api-token=aot-training-not-a-secret -jar /app/lazarus.jar run --server=http://127.0.0.1:1 \
        --inventory=inventory --script=install.sh >training.log 2>&1; \
      rc=$?; [ $rc -eq 0 ] || [ $rc -eq 2 ]; } || { cat training.log; exit 1; } \
 && chmod 0644 /app/lazarus.aot /app/lazarus-help.aot /app/lazarus-served.aot && cd / && rm -rf /tmp/aot-training
USER 10001:10001
EXPOSE 8080
# serve keeps /actuator on a port of its own (management.server.port, 8081), on loopback
HEALTHCHECK --interval=10s --timeout=3s --start-period=90s --retries=3 \
  CMD curl -fsS "http://127.0.0.1:${MANAGEMENT_SERVER_PORT:-8081}/actuator/health/readiness" >/dev/null || exit 1
# the service; `docker run lazarus/coordinator run --server ...` and the other commands replace it
CMD ["serve"]

FROM runtime AS fleet
COPY --from=build /src/fleet-sim/target/lazarus-fleet-sim.jar /app/lazarus.jar
USER root
# where the fleet writes its inventory and known_hosts for the others (a named volume copies this owner)
RUN install -d -o lazarus -g lazarus /fleet
USER 10001:10001
EXPOSE 2222
# a TCP check of the first node (an ok node: the fleet lists them first)
HEALTHCHECK --interval=5s --timeout=3s --start-period=60s --retries=3 \
  CMD bash -c 'exec 3<>/dev/tcp/127.0.0.1/2222' || exit 1
CMD ["--bind", "0.0.0.0", "--authorized-key", "/run/secrets/ssh_key.pub", "--inventory", "/fleet/inventory", \
     "--known-hosts", "/fleet/known_hosts"]
