namespace NtkCluster.Numerics.Networks;

/// <summary>
/// The hyper-parameters shared by every neuron of a two-layer network trained as in Def 3.5:
/// f(W,x) = (1/√m)·Σ_r a_r·c_r·σ(w_rᵀx), gradient descent on ½‖Y − κ·f(W,X)‖² + ½λ‖W‖²_F.
/// </summary>
/// <param name="Width">m, the total number of hidden neurons (the 1/√m scaling uses it).</param>
/// <param name="Kappa">κ, the output scaling.</param>
/// <param name="Lambda">λ, the ℓ2 regularization of W.</param>
/// <param name="LearningRate">η, the gradient-descent step size.</param>
public sealed record NetworkSetup(int Width, double Kappa, double Lambda, double LearningRate);
