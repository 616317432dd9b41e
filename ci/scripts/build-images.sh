#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Builds the notejam-app and notejam-backup images with Jib (no Dockerfile), tagged <version> and <git sha>.
# Usage: ci/scripts/build-images.sh [--docker | --tar | --push] [--dry-run]
#   --docker  jib:dockerBuild into the local engine (default)
#   --tar     jib:buildTar: target/jib-image.tar per module, for scanning without any registry
#   --push    jib:build to ECR_REGISTRY (login with the job's OIDC role); a commit whose <git sha> tag is
#             already in ECR is not pushed again (tags are immutable) and its digest is reused
#   --fast-start  with --push: also build the fast-start variant of the app image (ci/scripts/fast-start-image.sh:
#             a JVM archive trained against PostgreSQL and Redis, see FAST_START_ENV_FILE), push it as <tag>-fast
#             and make it the APP_DIGEST that gets deployed; APP_DEFAULT_DIGEST keeps the plain image
# Base images: BASE_IMAGE overrides the app's pom default (e.g. an internal mirror); the backup base is the image
# ci/scripts/backup-base-image.sh built into the local engine (docker://<backup.base.image>) unless BACKUP_BASE_IMAGE.
# FAST_START_ENV_FILE: SPRING_DATASOURCE_* / SPRING_DATA_REDIS_* of the training stores (the job's service
# containers); FAST_START_NETWORK: their docker network (default host).
# Writes target/images.env (APP_DIGEST, BACKUP_DIGEST, APP_IMAGE, BACKUP_IMAGE) and, on GitHub, the step outputs.
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "$0")/lib/common.sh"
mode=docker
fast_start=false
while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) DRY_RUN=true ;;
    --fast-start) fast_start=true ;;
    --docker) mode=docker ;;
    --tar) mode=tar ;;
    --push) mode=push ;;
    *) die "unknown argument $1" ;;
  esac
  shift
done
if $fast_start; then
  [ "$mode" = push ] || die "--fast-start needs --push (the variant is built from the pushed image)"
  [ -n "${FAST_START_ENV_FILE:-}" ] || [ "$DRY_RUN" = true ] || die "--fast-start needs FAST_START_ENV_FILE (the training stores)"
fi
cd "$REPO_ROOT"
version=$(project_version)
revision=$(git_revision)
# ECR tags are immutable: a SNAPSHOT version tag would clash on the next commit, so it carries the sha.
tag="$version"
if [[ "$version" == *-SNAPSHOT ]]; then tag="${version%-SNAPSHOT}-$revision"; fi

maven_args=(-B -ntp -DskipTests "-Dimage.revision=$revision" "-Dimage.tag=$tag" "-Dimage.creation.time=$(git_commit_time)")
# One Maven run per image: -Dbase.image on the command line would also replace the backup module's base.
app_args=(-pl notejam-app -am)
backup_args=(-pl backup-jobs -am)
[ -z "${BASE_IMAGE:-}" ] || app_args+=("-Dbase.image=$BASE_IMAGE")
# The backup base is built into the local engine by ci/scripts/backup-base-image.sh, never pulled; its image ID,
# recorded there, must still be what the tag names (a local image has no registry digest to pin instead).
backup_base_id=""
if [ -z "${BACKUP_BASE_IMAGE:-}" ]; then
  base_env=target/backup-base.env
  [ -f "$base_env" ] || [ "$DRY_RUN" = true ] || die "$base_env is missing: run ci/scripts/backup-base-image.sh first"
  backup_base_id=$(sed -n 's/^BACKUP_BASE_IMAGE_ID=//p' "$base_env" 2>/dev/null || true)
  echo "+ docker image inspect --format {{.Id}} $(backup_base_image)   (must be ${backup_base_id:-the ID in $base_env})" >&2
  if [ "$DRY_RUN" != true ]; then
    actual=$(docker image inspect --format '{{.Id}}' "$(backup_base_image)")
    [ "$actual" = "$backup_base_id" ] || die "$(backup_base_image) is $actual, not the $backup_base_id backup-base-image.sh built"
  fi
fi
backup_args+=("-Dbackup.base.image=${BACKUP_BASE_IMAGE:-docker://$(backup_base_image)}")

registry=""
case "$mode" in
  docker) goal=jib:dockerBuild ;;
  tar) goal=jib:buildTar ;;
  push)
    goal=jib:build
    registry=$(ecr_registry)
    region="${AWS_REGION:-$(env_region dev)}"
    maven_args+=("-Dimage.registry=$registry/")
    echo "+ aws ecr get-login-password --region $region | docker login --username AWS --password-stdin $registry" >&2
    if [ "$DRY_RUN" != true ]; then
      aws ecr get-login-password --region "$region" | docker login --username AWS --password-stdin "$registry" >/dev/null
      existing=$(aws ecr describe-images --region "$region" --repository-name notejam-app \
        --image-ids "imageTag=$revision" --query 'imageDetails[0].imageDigest' --output text 2>/dev/null || true)
      if [[ "$existing" == sha256:* ]]; then
        log "notejam-app:$revision is already in ECR ($existing): reusing it, nothing to push"
        goal=""
      fi
    fi
    ;;
esac

# The CycloneDX BOM of each image comes from the same Maven run as its Jib layers (makeBom: the module's runtime
# dependencies); sbom-check.sh below compares it with the jars in the image, attach-sbom.sh attaches it.
bom_args=(-DoutputFormat=json)
if [ -n "$goal" ]; then
  run ./mvnw "${maven_args[@]}" "${app_args[@]}" "${bom_args[@]}" -DoutputName=notejam-app.cdx package "$goal" cyclonedx:makeBom
  run ./mvnw "${maven_args[@]}" "${backup_args[@]}" "${bom_args[@]}" -DoutputName=notejam-backup.cdx package "$goal" cyclonedx:makeBom
else
  # a rerun of a pushed commit: the BOMs of that commit's sources, for the attestations a first run may have missed
  run ./mvnw "${maven_args[@]}" -pl notejam-app "${bom_args[@]}" -DoutputName=notejam-app.cdx cyclonedx:makeBom
  run ./mvnw "${maven_args[@]}" -pl backup-jobs "${bom_args[@]}" -DoutputName=notejam-backup.cdx cyclonedx:makeBom
fi
run mkdir -p target/sbom
run cp notejam-app/target/notejam-app.cdx.json backup-jobs/target/notejam-backup.cdx.json target/sbom/

digest_of() {
  local module="$1" repository="$2" file="$REPO_ROOT/$1/target/jib-image.digest"
  if [ "$DRY_RUN" = true ]; then
    echo "sha256:$(printf '%064d' 0)"
  elif [ -z "$goal" ]; then
    aws ecr describe-images --region "$region" --repository-name "$repository" --image-ids "imageTag=$revision" \
      --query 'imageDetails[0].imageDigest' --output text
  else
    [ -s "$file" ] || die "$file missing: Jib did not report a digest for $module"
    cat "$file"
  fi
}
app_digest=$(digest_of notejam-app notejam-app)
backup_digest=$(digest_of backup-jobs notejam-backup)
app_default_digest=$app_digest
prefix="${registry:+$registry/}"

# The fast-start variant: trained on the pushed image's own JVM, one more layer, pushed as <tag>-fast.
if $fast_start; then
  fast_ref="${prefix}notejam-app:$tag-fast"
  existing_fast=""
  if [ "$DRY_RUN" != true ]; then
    existing_fast=$(aws ecr describe-images --region "$region" --repository-name notejam-app \
      --image-ids "imageTag=$tag-fast" --query 'imageDetails[0].imageDigest' --output text 2>/dev/null || true)
  fi
  if [[ "$existing_fast" == sha256:* ]]; then
    log "$fast_ref is already in ECR ($existing_fast): reusing it"
    app_digest=$existing_fast
  else
    run docker pull "${prefix}notejam-app@$app_digest"
    run docker tag "${prefix}notejam-app@$app_digest" "${prefix}notejam-app:$tag"
    run ci/scripts/fast-start-image.sh --image "${prefix}notejam-app:$tag" --network "${FAST_START_NETWORK:-host}" \
      --env-file "${FAST_START_ENV_FILE:-training.env}"
    run docker push "$fast_ref"
    if [ "$DRY_RUN" != true ]; then
      app_digest=$(docker image inspect --format '{{ index .RepoDigests 0 }}' "$fast_ref" | sed 's/.*@//')
      [[ "$app_digest" == sha256:* ]] || die "no registry digest for $fast_ref after the push"
    fi
  fi
  log "deploying the fast-start image $fast_ref ($app_digest); plain image $app_default_digest"
fi

# The BOM lists exactly the jars of the image: the tarballs, the local images, or the pushed digests pulled back.
if [ -n "$goal" ] || [ "$mode" = push ]; then
  case "$mode" in
    tar)
      run ci/scripts/sbom-check.sh --bom target/sbom/notejam-app.cdx.json --image-tar notejam-app/target/jib-image.tar
      run ci/scripts/sbom-check.sh --bom target/sbom/notejam-backup.cdx.json --image-tar backup-jobs/target/notejam-backup-image.tar
      ;;
    docker)
      run ci/scripts/sbom-check.sh --bom target/sbom/notejam-app.cdx.json --image "notejam-app:$tag"
      run ci/scripts/sbom-check.sh --bom target/sbom/notejam-backup.cdx.json --image "notejam-backup:$tag"
      ;;
    push)
      run docker pull "${prefix}notejam-app@$app_default_digest"
      run ci/scripts/sbom-check.sh --bom target/sbom/notejam-app.cdx.json --image "${prefix}notejam-app@$app_default_digest"
      run docker pull "${prefix}notejam-backup@$backup_digest"
      run ci/scripts/sbom-check.sh --bom target/sbom/notejam-backup.cdx.json --image "${prefix}notejam-backup@$backup_digest"
      ;;
  esac
fi

mkdir -p target
{
  echo "IMAGE_TAG=$tag"
  echo "IMAGE_REVISION=$revision"
  echo "APP_DIGEST=$app_digest"
  echo "APP_DEFAULT_DIGEST=$app_default_digest"
  echo "BACKUP_DIGEST=$backup_digest"
  echo "APP_IMAGE=${prefix}notejam-app@$app_digest"
  echo "BACKUP_IMAGE=${prefix}notejam-backup@$backup_digest"
  [ -z "$backup_base_id" ] || echo "BACKUP_BASE_IMAGE_ID=$backup_base_id"
} | tee target/images.env >&2
# also in a dry run: the rehearsal (rehearse-main.sh) passes the digests on to the deploy jobs as GitHub would
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  while IFS='=' read -r key value; do echo "${key,,}=$value"; done <target/images.env >>"$GITHUB_OUTPUT"
fi
