package dev.flinkpatterns.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/** A job as {@code /jobs/overview} lists it. */
public record JobSummary(String id, String name, String state, long startTime, long durationMs) {

    /** States after which a job never runs again. */
    public static final Set<String> TERMINAL = Set.of("FINISHED", "FAILED", "CANCELED");

    public boolean isActive() {
        return !TERMINAL.contains(state);
    }

    /** Every job the REST API knows, the newest first. */
    public static List<JobSummary> all(FlinkRest rest) {
        List<JobSummary> jobs = new ArrayList<>();
        for (JsonNode job : rest.get("/jobs/overview").path("jobs")) {
            jobs.add(new JobSummary(job.path("jid").asText(), job.path("name").asText(), job.path("state").asText(),
                    job.path("start-time").asLong(), job.path("duration").asLong()));
        }
        jobs.sort(Comparator.comparingLong(JobSummary::startTime).reversed());
        return jobs;
    }

    /**
     * The one job that {@code job} names: a job id, a job name, or a prefix of either. An exact id or name wins over
     * prefixes, and a running job over ended ones (a name run twice means the running one).
     */
    public static JobSummary resolve(FlinkRest rest, String job) {
        List<JobSummary> jobs = all(rest);
        List<JobSummary> candidates = jobs.stream().filter(j -> j.id().equals(job) || j.name().equals(job)).toList();
        if (candidates.isEmpty()) {
            candidates = jobs.stream().filter(j -> j.id().startsWith(job) || j.name().startsWith(job)).toList();
        }
        if (candidates.isEmpty()) {
            throw new MonitorException("no job '" + job + "' at " + rest.address() + (jobs.isEmpty() ? " (no jobs)"
                    : "; jobs: " + String.join(", ", jobs.stream().map(JobSummary::describe).toList())));
        }
        List<JobSummary> active = candidates.stream().filter(JobSummary::isActive).toList();
        List<JobSummary> chosen = active.isEmpty() ? candidates : active;
        if (chosen.size() > 1) {
            throw new MonitorException("'" + job + "' names " + chosen.size() + " jobs: "
                    + String.join(", ", chosen.stream().map(JobSummary::describe).toList()) + "; give a job id");
        }
        return chosen.get(0);
    }

    private String describe() {
        return id + " (" + name + ", " + state + ")";
    }
}
