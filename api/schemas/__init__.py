"""The API's request and response bodies (pydantic), with Persian examples where the data is
Persian. Mapping from service results lives beside each model."""
