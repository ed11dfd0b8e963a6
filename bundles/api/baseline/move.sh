#!/usr/bin/env bash
#
# Moves the API baseline: makes the API bundle built from the current tree the one that later builds of bundles/api
# are baselined against (README "Code style"). Run it at a release, from any folder:
#
#     bundles/api/baseline/move.sh <label>      e.g. the release's version: 0.2.0
#
# The bundle is stored in this folder as the Maven artifact io.thingport.baseline:thingport-api:<label> (a file
# repository that bundles/api/pom.xml declares), the previous one is removed, and <thingport.api.baseline.version> in
# bundles/api/pom.xml is set to <label>. Maven copies an artifact into ~/.m2 once and never looks again, so each move
# needs a label that was never used before. Commit this folder and bundles/api/pom.xml together.
#
set -euo pipefail
label=${1:?usage: bundles/api/baseline/move.sh <label, e.g. the release version>}
root=$(cd "$(dirname "$0")/../../.." && pwd)
cd "$root"
current=$(sed -n 's#.*<thingport.api.baseline.version>\(.*\)</thingport.api.baseline.version>.*#\1#p' bundles/api/pom.xml)
if [ "$label" = "$current" ] || [ -d "$HOME/.m2/repository/io/thingport/baseline/thingport-api/$label" ]; then
    echo "The label $label was used before (a stale copy may sit in ~/.m2): choose a new one." >&2
    exit 1
fi

mvn -B -q package -DskipTests -pl bundles/api -Dbnd.baseline.skip=true -Dthingport.style.skip=true
jar=$(ls bundles/api/target/thingport-api-*.jar | grep -v -e '-sources' -e '-javadoc' | head -1)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/pom.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
  <modelVersion>4.0.0</modelVersion>
  <groupId>io.thingport.baseline</groupId>
  <artifactId>thingport-api</artifactId>
  <version>$label</version>
  <description>The released Thingport API bundle (io.thingport.api) that bnd baselines the current one against.</description>
</project>
EOF

rm -rf bundles/api/baseline/io
# -DpomFile: without it deploy-file would take the pom Maven embedded in the jar (with its parent) as the artifact's.
mvn -B -q org.apache.maven.plugins:maven-deploy-plugin:3.1.1:deploy-file -Dfile="$jar" -DpomFile="$tmp/pom.xml" \
    -Durl="file://$root/bundles/api/baseline"
sed -i "s#<thingport.api.baseline.version>.*</thingport.api.baseline.version>#<thingport.api.baseline.version>$label</thingport.api.baseline.version>#" \
    bundles/api/pom.xml
echo "API baseline is now $jar, as io.thingport.baseline:thingport-api:$label"
