package io.damoov.gateway.token;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Damoov's UserService auth and registration calls (docs/routing.md, Damoov tokens), as a Quarkus REST Client. */
@Path("/v1")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
interface DamoovAuthApi {

    @POST
    @Path("/Auth/Login")
    Response loginAdmin(String body);

    @POST
    @Path("/Auth/Login")
    Response loginUser(@HeaderParam("InstanceId") String instanceId, String body);

    @POST
    @Path("/Auth/RefreshToken")
    Response refresh(String body);

    @POST
    @Path("/Registration/create")
    Response register(@HeaderParam("InstanceId") String instanceId, @HeaderParam("InstanceKey") String instanceKey,
            String body);
}
