package dev.silo.images;

/**
 * One step of a pull or push, shaped like the Docker API's JSON progress stream: {@code id} is the
 * short layer digest (or empty for the whole image), {@code status} Docker's word for the step
 * ("Pulling fs layer", "Downloading", "Download complete", "Extracting", "Pull complete", "Already
 * exists", "Pushing", "Pushed", "Layer already exists", "Digest: …"), {@code current}/{@code total}
 * bytes where they apply (else 0).
 */
public record Progress(String id, String status, long current, long total) {}
