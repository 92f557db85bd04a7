package io.damoov.gateway.sandbox;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import io.damoov.gateway.sandbox.SandboxAccounts.Instance;
import io.damoov.gateway.sandbox.SandboxAccounts.User;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Realistic, deterministic response bodies (docs/damoov-api.md §4.1, §5.2). Every body names the user it belongs to
 * (DeviceToken / UserId), so tests can see whose data was served.
 */
final class SandboxData {

    /** Date range of a data request, both ends inclusive. */
    record Range(LocalDate from, LocalDate to) {
        long days() {
            return ChronoUnit.DAYS.between(from, to) + 1;
        }
    }

    private static final String[] STREETS = { "Main St", "Oak Ave", "Pine Rd", "Maple Dr", "Cedar Ln", "Elm St",
            "Lake View Blvd", "Hill Rd" };
    private static final String[] CITIES = { "Springfield", "Riverton", "Lakeside", "Fairview" };
    private static final String[] RATES = { "", "Acceleration", "Braking", "PhoneUsage", "Speeding", "Cornering",
            "OverallScore", "Distance", "Trips", "DrivingTime" };

    private SandboxData() {
    }

    static Random random(User user, String salt) {
        return new Random(UUID.nameUUIDFromBytes((user.deviceToken + "/" + salt).getBytes(StandardCharsets.UTF_8))
                .getMostSignificantBits());
    }

    static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    // --- user management -------------------------------------------------------------------------------------

    static JsonObject user(User u, Instance i) {
        JsonObject p = u.profileCopy();
        JsonObject profile = new JsonObject()
                .put("FirstName", p.getValue("FirstName"))
                .put("LastName", p.getValue("LastName"))
                .put("Gender", p.getValue("Gender", "None"))
                .put("Birthday", p.getValue("Birthday"))
                .put("MaritalStatus", p.getValue("MaritalStatus"))
                .put("ChildrenCount", p.getValue("ChildrenCount"))
                .put("Address", p.getValue("Address"))
                .put("Country", p.getValue("Country"))
                .put("District", p.getValue("District"))
                .put("City", p.getValue("City"))
                .put("Nickname", p.getValue("Nickname"))
                .put("Email", p.getValue("Email"))
                .put("Phone", p.getValue("Phone"))
                .put("ImageUrl", p.getValue("ImageUrl"))
                .put("ExternalImageUrl", p.getValue("ExternalImageUrl"));
        JsonObject fields = new JsonObject()
                .put("ClientId", p.getValue("ClientId"))
                .put("EnableLogging", false)
                .put("EnableRealTimeLocation", false)
                .put("EnableTracking", true)
                .put("Enabled", true);
        return new JsonObject()
                .put("DeviceToken", u.deviceToken)
                .put("DateCreated", u.created.toString())
                .put("Status", "Active")
                .put("ActivityStatus", "No Data")
                .put("UserProfile", profile)
                .put("MobileDevice", new JsonObject().put("MobileUid", null).put("DeviceModel", null)
                        .put("OsType", "").put("OsVersion", null).put("SdkVersion", null).put("AppVersion", null)
                        .put("VirtualImei", "000000000000000"))
                .put("AccountInfo", new JsonObject().put("CompanyId", i.companyId()).put("CompanyName", null)
                        .put("ApplicationId", i.applicationId()).put("ApplicationName", null)
                        .put("InstanceId", i.id()).put("InstanceName", null))
                .put("UserWallets", new JsonArray())
                .put("IdentityId", null)
                .put("IdentityProvider", null)
                .put("UserFields", new JsonArray().add(fields));
    }

    // --- trips -----------------------------------------------------------------------------------------------

    static JsonArray trips(User u, Instance i, Range range, int max) {
        Random r = random(u, "trips");
        JsonArray trips = new JsonArray();
        int count = (int) Math.min(max, Math.min(3, range.days() * 2));
        for (int n = 0; n < count; n++) {
            LocalDate day = range.to().minusDays(n);
            LocalDateTime start = LocalDateTime.of(day, LocalTime.of(7 + r.nextInt(12), r.nextInt(60)));
            int minutes = 8 + r.nextInt(50);
            double km = round(minutes * (0.4 + r.nextDouble() * 0.6), 2);
            LocalDateTime end = start.plusMinutes(minutes);
            String trackToken = UUID.nameUUIDFromBytes((u.deviceToken + "/track/" + start)
                    .getBytes(StandardCharsets.UTF_8)).toString();
            int acc = 60 + r.nextInt(41), brk = 60 + r.nextInt(41), spd = 55 + r.nextInt(46),
                    cor = 65 + r.nextInt(36), phone = 70 + r.nextInt(31);
            int safety = (acc + brk + spd + cor + phone) / 5;
            trips.add(new JsonObject()
                    .put("Id", trackToken)
                    .put("DateUpdated", end.plusMinutes(3).atOffset(ZoneOffset.UTC).toString())
                    .put("Identifiers", new JsonObject().put("CompanyId", i.companyId())
                            .put("ApplicationId", i.applicationId()).put("InstanceId", i.id())
                            .put("UserId", u.deviceToken).put("ClientId", u.profileCopy().getValue("ClientId")))
                    .put("Data", new JsonObject()
                            .put("StartDate", start.atOffset(ZoneOffset.UTC).toString())
                            .put("EndDate", end.atOffset(ZoneOffset.UTC).toString())
                            .put("UnitSystem", "Si")
                            .put("Addresses", new JsonObject()
                                    .put("Start", address(r)).put("End", address(r)))
                            .put("TransportType", new JsonObject().put("Current", "Driver")
                                    .put("ConfirmNeeded", false))
                            .put("Tags", new JsonArray())
                            .put("IncomingTrackToken", trackToken))
                    .put("Statistics", new JsonObject()
                            .put("Mileage", km)
                            .put("DurationMinutes", minutes)
                            .put("AccelerationsCount", r.nextInt(4))
                            .put("BrakingsCount", r.nextInt(4))
                            .put("CorneringsCount", r.nextInt(3))
                            .put("PhoneUsageDurationMinutes", round(r.nextDouble() * 2, 2))
                            .put("SpeedingMileage", round(km * r.nextDouble() * 0.1, 2))
                            .put("MaxSpeed", round(50 + r.nextDouble() * 70, 1))
                            .put("AverageSpeed", round(km / minutes * 60, 1)))
                    .put("Scores", new JsonObject()
                            .put("Safety", safety).put("Speeding", spd).put("Acceleration", acc)
                            .put("Braking", brk).put("Cornering", cor).put("PhoneUsage", phone)
                            .put("Eco", 60 + r.nextInt(41)))
                    .put("Related", new JsonArray()));
        }
        return trips;
    }

    private static JsonObject address(Random r) {
        String street = (1 + r.nextInt(200)) + " " + STREETS[r.nextInt(STREETS.length)];
        String city = CITIES[r.nextInt(CITIES.length)];
        return new JsonObject().put("Full", street + ", " + city).put("Short", street)
                .put("Parts", new JsonObject().put("CountryCode", "US").put("City", city).put("Street", street));
    }

    static JsonObject pagingInfo(int total) {
        return new JsonObject().put("CurrentPage", 1).put("TotalPages", total == 0 ? 0 : 1).put("PageSize", 50)
                .put("TotalCount", total).put("HasPreviousPage", false).put("HasNextPage", false);
    }

    // --- indicators (v3) -------------------------------------------------------------------------------------

    static JsonObject statistics(User u, Instance i, Range range) {
        Random r = random(u, "statistics/" + range);
        long days = range.days();
        int trips = (int) Math.max(1, days * (1 + r.nextInt(3)) / 2);
        double km = round(trips * (8 + r.nextDouble() * 15), 2);
        return ids(u, i)
                .put("MileageKm", km)
                .put("MileageMile", round(km * 0.621371, 2))
                .put("TripsCount", trips)
                .put("DriverTripsCount", trips)
                .put("OtherTripsCount", 0)
                .put("MaxSpeedKmh", round(80 + r.nextDouble() * 60, 1))
                .put("AverageSpeedKmh", round(30 + r.nextDouble() * 25, 1))
                .put("TotalSpeedingKm", round(km * r.nextDouble() * 0.08, 2))
                .put("RushHoursDrivingMileageKm", round(km * 0.3, 2))
                .put("NightDrivingMileageKm", round(km * 0.1, 2))
                .put("DrivingTime", (int) (km * 1.6))
                .put("PermissionsLevel", 1)
                .put("TrustLevel", 1);
    }

    static JsonObject safety(User u, Instance i, Range range) {
        Random r = random(u, "safety/" + range);
        double acc = score(r), brk = score(r), spd = score(r), phone = score(r), cor = score(r);
        return ids(u, i)
                .put("AccelerationScore", acc).put("BrakingScore", brk).put("SpeedingScore", spd)
                .put("PhoneUsageScore", phone).put("CorneringScore", cor)
                .put("SafetyScore", round((acc + brk + spd + phone + cor) / 5, 2))
                .put("PermissionsLevel", 1).put("TrustLevel", 1);
    }

    static JsonObject eco(User u, Instance i, Range range) {
        Random r = random(u, "eco/" + range);
        double fuel = score(r), tyres = score(r), brakes = score(r), dep = score(r);
        return ids(u, i)
                .put("EcoScoreFuel", fuel).put("EcoScoreTyres", tyres).put("EcoScoreBrakes", brakes)
                .put("EcoScoreDepreciation", dep).put("EcoScore", round((fuel + tyres + brakes + dep) / 4, 2))
                .put("PermissionsLevel", 1).put("TrustLevel", 1);
    }

    /** One entry per day (at most 31, newest last) of the given kind: statistics, safety or eco. */
    static JsonArray daily(User u, Instance i, Range range, String kind) {
        JsonArray days = new JsonArray();
        LocalDate from = range.days() > 31 ? range.to().minusDays(30) : range.from();
        for (LocalDate d = from; !d.isAfter(range.to()); d = d.plusDays(1)) {
            Range one = new Range(d, d);
            JsonObject entry = switch (kind) {
                case "safety" -> safety(u, i, one);
                case "eco" -> eco(u, i, one);
                default -> statistics(u, i, one);
            };
            entry.put(kind.equals("statistics") ? "ReportDate" : "CalcDate", d.toString());
            days.add(entry);
        }
        return days;
    }

    private static JsonObject ids(User u, Instance i) {
        return new JsonObject().put("UserId", u.deviceToken).put("InstanceId", i.id())
                .put("AppId", i.applicationId()).put("CompanyId", i.companyId());
    }

    private static double score(Random r) {
        return round(55 + r.nextDouble() * 45, 2);
    }

    // --- legacy statistics (v1) ------------------------------------------------------------------------------

    static JsonObject scorings(User u, Range range) {
        Random r = random(u, "scorings/" + range);
        double acc = score(r), brk = score(r), cor = score(r), dis = score(r), spd = score(r);
        return new JsonObject()
                .put("DeviceToken", u.deviceToken)
                .put("AccelerationScore", acc).put("BrakingScore", brk).put("CorneringScore", cor)
                .put("DistractedScore", dis).put("SpeedingScore", spd)
                .put("OverallScore", round((acc + brk + cor + dis + spd) / 5, 2))
                .put("StartDate", range.from().toString()).put("EndDate", range.to().toString());
    }

    static JsonArray scoringsDaily(User u, Range range) {
        JsonArray days = new JsonArray();
        LocalDate from = range.days() > 30 ? range.to().minusDays(29) : range.from();
        for (LocalDate d = from; !d.isAfter(range.to()); d = d.plusDays(1)) {
            days.add(scorings(u, new Range(d, d)).put("Date", d.toString()));
        }
        return days;
    }

    static JsonObject legacyStatistics(User u, Range range) {
        Random r = random(u, "legacy-statistics/" + range);
        int trips = (int) Math.max(1, range.days() / 2 + r.nextInt(4));
        double km = round(trips * (8 + r.nextDouble() * 15), 2);
        return new JsonObject()
                .put("DeviceToken", u.deviceToken)
                .put("MileageKm", km).put("MileageMile", round(km * 0.621371, 2))
                .put("TripsCount", trips).put("DrivingTime", (int) (km * 1.6))
                .put("NightDrivingTime", (int) (km * 0.15)).put("DayDrivingTime", (int) (km * 1.45))
                .put("RushHoursDrivingTime", (int) (km * 0.5)).put("MaxSpeedKmh", round(80 + r.nextDouble() * 60, 1))
                .put("AverageSpeedKmh", round(30 + r.nextDouble() * 25, 1))
                .put("StartDate", range.from().toString()).put("EndDate", range.to().toString());
    }

    static JsonArray legacyStatisticsDaily(User u, Range range) {
        JsonArray days = new JsonArray();
        LocalDate from = range.days() > 30 ? range.to().minusDays(29) : range.from();
        for (LocalDate d = from; !d.isAfter(range.to()); d = d.plusDays(1)) {
            days.add(legacyStatistics(u, new Range(d, d)).put("Date", d.toString()));
        }
        return days;
    }

    // --- DriveCoins ------------------------------------------------------------------------------------------

    static JsonObject coinsTotal(User u, Range range) {
        Random r = random(u, "coins/" + range);
        int earned = (int) (range.days() * (5 + r.nextInt(20)));
        return new JsonObject().put("DeviceToken", u.deviceToken).put("TotalEarnedCoins", earned)
                .put("AcquiredCoins", earned - r.nextInt(Math.max(1, earned / 4)));
    }

    static JsonArray coinsDaily(User u, Range range, LocalDateTime now) {
        JsonArray days = new JsonArray();
        LocalDate from = range.days() > 31 ? range.to().minusDays(30) : range.from();
        for (LocalDate d = from; !d.isAfter(range.to()); d = d.plusDays(1)) {
            JsonObject total = coinsTotal(u, new Range(d, d));
            days.add(new JsonObject().put("DeviceToken", u.deviceToken).put("Date", d.toString())
                    .put("DateUpdated", now.toString()).put("LimitReached", total.getInteger("TotalEarnedCoins") >= 100)
                    .put("TotalEarnedCoins", total.getValue("TotalEarnedCoins"))
                    .put("AcquiredCoins", total.getValue("AcquiredCoins")));
        }
        return days;
    }

    static JsonObject coinsDailyLimit(User u) {
        return new JsonObject().put("DeviceToken", u.deviceToken).put("DailyLimit", 100);
    }

    // --- DeviceToken-header endpoints ------------------------------------------------------------------------

    static JsonObject leaderboard(User current, List<User> users, int scoringRate, int usersCount) {
        int rate = scoringRate >= 1 && scoringRate <= 9 ? scoringRate : 6;
        JsonArray list = new JsonArray();
        List<User> ranked = users.stream()
                .sorted((a, b) -> Double.compare(leaderValue(b, rate), leaderValue(a, rate))).toList();
        int place = 0;
        for (User u : ranked) {
            place++;
            if (place > usersCount && !u.deviceToken.equals(current.deviceToken)) {
                continue;
            }
            JsonObject p = u.profileCopy();
            list.add(new JsonObject().put("DeviceToken", u.deviceToken)
                    .put("Nickname", p.getValue("Nickname")).put("FirstName", p.getValue("FirstName"))
                    .put("LastName", p.getValue("LastName")).put("Image", p.getValue("ImageUrl"))
                    .put("Value", leaderValue(u, rate)).put("Place", place)
                    .put("IsCurrentUser", u.deviceToken.equals(current.deviceToken)));
        }
        return new JsonObject().put("UsersNumber", users.size()).put("ScoringRate", RATES[rate]).put("Users", list);
    }

    static JsonObject leaderboardUser(User current, List<User> users) {
        JsonObject result = new JsonObject().put("DeviceToken", current.deviceToken);
        String[] names = { "AccelerationPlace", "BrakingPlace", "PhoneUsagePlace", "SpeedingPlace",
                "CorneringPlace", "Place", "DistancePlace", "TripsPlace", "DurationPlace" };
        for (int rate = 1; rate <= 9; rate++) {
            int r = rate;
            double mine = leaderValue(current, r);
            long better = users.stream().filter(u -> leaderValue(u, r) > mine).count();
            result.put(names[rate - 1], better + 1);
        }
        return result.put("Score", leaderValue(current, 6)).put("Distance", leaderValue(current, 7))
                .put("Duration", leaderValue(current, 9)).put("Trips", leaderValue(current, 8))
                .put("UsersNumber", users.size());
    }

    private static double leaderValue(User u, int rate) {
        Random r = random(u, "leaderboard/" + rate);
        return switch (rate) {
            case 7 -> round(20 + r.nextDouble() * 400, 2);
            case 8 -> 1 + r.nextInt(40);
            case 9 -> round(30 + r.nextDouble() * 900, 1);
            default -> round(55 + r.nextDouble() * 45, 2);
        };
    }

    static JsonObject vehicle(User u, JsonObject body, String token) {
        return new JsonObject()
                .put("Token", token)
                .put("DeviceToken", u.deviceToken)
                .put("PlateNumber", value(body, "plateNumber", "SBX-" + token.substring(0, 4).toUpperCase()))
                .put("Vin", value(body, "vin", null))
                .put("ManufacturerId", value(body, "manufacturerId", null))
                .put("ModelId", value(body, "modelId", null))
                .put("CarYear", value(body, "carYear", null))
                .put("Name", value(body, "name", "Sandbox car"))
                .put("InitialMilage", value(body, "initialMilage", 0))
                .put("SpecialMarks", value(body, "specialMarks", null))
                .put("ColorType", value(body, "colorType", null))
                .put("EntityStatus", value(body, "entityStatus", "Active"));
    }

    private static Object value(JsonObject body, String key, Object fallback) {
        Object v = SandboxJson.get(body, key);
        return v == null ? fallback : v;
    }

    static JsonObject tracks(User u, Instance i, Range range, int page, int pageSize) {
        JsonArray trips = trips(u, i, range, 50);
        JsonArray tracks = new JsonArray();
        int from = Math.max(0, (page - 1) * pageSize);
        for (int n = from; n < Math.min(trips.size(), from + pageSize); n++) {
            JsonObject t = trips.getJsonObject(n);
            JsonObject data = t.getJsonObject("Data");
            JsonObject stats = t.getJsonObject("Statistics");
            tracks.add(new JsonObject()
                    .put("TrackToken", data.getString("IncomingTrackToken"))
                    .put("DeviceToken", u.deviceToken)
                    .put("StartDate", data.getString("StartDate"))
                    .put("EndDate", data.getString("EndDate"))
                    .put("AddressStart", data.getJsonObject("Addresses").getJsonObject("Start").getString("Full"))
                    .put("AddressEnd", data.getJsonObject("Addresses").getJsonObject("End").getString("Full"))
                    .put("Distance", stats.getValue("Mileage"))
                    .put("Duration", stats.getValue("DurationMinutes"))
                    .put("Rating100", t.getJsonObject("Scores").getValue("Safety"))
                    .put("PhoneUsage", stats.getValue("PhoneUsageDurationMinutes"))
                    .put("TrackOriginCode", "OriginalDriver")
                    .put("HasOriginChanged", false));
        }
        return new JsonObject().put("DeviceToken", u.deviceToken).put("Tracks", tracks);
    }
}
