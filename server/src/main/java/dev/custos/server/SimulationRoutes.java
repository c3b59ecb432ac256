package dev.custos.server;

import dev.custos.identity.Scope;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/**
 * The clock of a simulation installation ({@link SimulationClock}), moved by the simulator with a
 * {@code simulation:clock} service token. Registered only when {@code simulation.clock} is on.
 */
final class SimulationRoutes {
  private static final String TAG = "Simulation";

  /** The body of a move: {@code {"at": "2025-03-03T09:00:00Z"}}. */
  record MoveRequest(String at) {}

  private SimulationRoutes() {}

  static List<ApiRoute> all(SimulationClock clock, ServiceAuth auth) {
    return List.of(
        ApiRoute.get("/v1/simulation/clock", "simulationClock", "This simulation installation's time", TAG,
            "application/json", Map.of(200, "The time"),
            ctx -> ctx.json(Map.of("at", clock.instant().toString())))
            .requiringServiceToken(auth, Scope.SIMULATION_CLOCK),
        ApiRoute.post("/v1/simulation/clock", "moveSimulationClock",
            "Move this simulation installation's time forward ({\"at\": ISO-8601 instant}); never back", TAG,
            "application/json", Map.of(200, "Moved", 400, "at missing or malformed", 409, "at is before the current time"),
            ctx -> {
              MoveRequest req = Json.read(ctx, MoveRequest.class);
              if (req.at() == null) {
                throw new ApiException(Problem.of(ProblemType.INVALID_FIELD, "at is required: an ISO-8601 instant")
                    .with("field", "at"));
              }
              Instant to;
              try {
                to = Instant.parse(req.at());
              } catch (DateTimeParseException e) {
                throw new ApiException(Problem.of(ProblemType.INVALID_FIELD, "at must be an ISO-8601 instant, e.g. "
                    + "2025-03-03T09:00:00Z").with("field", "at"));
              }
              if (!clock.moveTo(to)) {
                throw new ApiException(Problem.of(ProblemType.CONFLICT, "the clock never goes back: it is "
                    + clock.instant() + ", not before").with("field", "at"));
              }
              ctx.json(Map.of("at", clock.instant().toString()));
            })
            .requiringServiceToken(auth, Scope.SIMULATION_CLOCK));
  }
}
