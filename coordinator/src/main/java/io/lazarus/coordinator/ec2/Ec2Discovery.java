package io.lazarus.coordinator.ec2;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesResponse;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Reservation;

/** Finds instances with DescribeInstances, every page of it. */
public final class Ec2Discovery {

    static final String STATE = "instance-state-name";
    private static final int PAGE = 1000;

    private final Ec2Session session;

    public Ec2Discovery(Ec2Session session) {
        this.session = session;
    }

    /** What a search found, and in how many pages EC2 gave it. */
    public record Found(List<Ec2Instance> instances, int pages) {}

    /**
     * The running instances that match every filter.
     *
     * @param option the option the filters came from, for errors
     */
    public Found running(String option, List<Filter> filters) {
        if (filters.stream().anyMatch(f -> f.name().equals(STATE))) {
            throw Ec2Exception.input(
                    option + ": " + STATE + " is not for you to choose here: only running instances" + " are nodes");
        }
        return find(
                option,
                with(filters, Filter.builder().name(STATE).values("running").build()));
    }

    /** The instances that match every filter, in any state the filters allow. */
    Found find(String option, List<Filter> filters) {
        DescribeInstancesRequest request = DescribeInstancesRequest.builder()
                .filters(filters)
                .maxResults(PAGE)
                .build();
        try {
            return Ec2Calls.call("DescribeInstances", () -> {
                List<Ec2Instance> instances = new ArrayList<>();
                int pages = 0;
                for (DescribeInstancesResponse page : session.client().describeInstancesPaginator(request)) {
                    pages++;
                    for (Reservation reservation : page.reservations()) {
                        reservation.instances().forEach(i -> instances.add(Ec2Instance.of(i)));
                    }
                }
                return new Found(List.copyOf(instances), pages);
            });
        } catch (Ec2Exception e) {
            throw "InvalidParameterValue".equals(e.code()) ? badFilter(option, filters, e) : e;
        }
    }

    /** The instances named, in the order named; EC2 takes up to 100 ids a call here. */
    List<Ec2Instance> byIds(List<String> ids) {
        Map<String, Ec2Instance> found = new HashMap<>();
        for (List<String> chunk : Ec2Calls.chunks(ids, StatusChecks.IDS_PER_CALL)) {
            DescribeInstancesRequest request =
                    DescribeInstancesRequest.builder().instanceIds(chunk).build();
            Ec2Calls.call(
                            "DescribeInstances",
                            () -> session.client().describeInstancesPaginator(request).reservations().stream()
                                    .flatMap(r -> r.instances().stream())
                                    .map(Ec2Instance::of)
                                    .toList())
                    .forEach(i -> found.put(i.id(), i));
        }
        return ids.stream().map(found::get).filter(Objects::nonNull).toList();
    }

    static List<Filter> with(List<Filter> filters, Filter more) {
        List<Filter> all = new ArrayList<>(filters);
        all.add(more);
        return all;
    }

    /** EC2 names the filter it does not know ("The filter 'x' is invalid"): so does the error. */
    private static Ec2Exception badFilter(String option, List<Filter> filters, Ec2Exception e) {
        String said = e.getMessage().substring(e.getMessage().indexOf("InvalidParameterValue"));
        return filters.stream()
                .filter(f -> said.contains("'" + f.name() + "'"))
                .findFirst()
                .map(f -> Ec2Exception.input(option + " '" + Ec2Filters.describe(f)
                        + "': EC2 does not know the filter '"
                        + f.name() + "' (" + said + "); the names are those of DescribeInstances, for example tag:KEY,"
                        + " tag-key, instance-type, availability-zone, vpc-id, subnet-id, image-id"))
                .orElseGet(() -> Ec2Exception.input(option + ": EC2 refused the filters (" + said + ")"));
    }
}
